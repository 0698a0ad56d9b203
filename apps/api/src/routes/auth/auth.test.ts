import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, password, signupTenant } from "../../../test/harness";

describe("sign-up, login and API keys end to end", () => {
  it("sign-up → login → create key → call a route with it → revoke → the same call is 401", async () => {
    const owner = await signupTenant("Acme");
    const login = await api("POST", "/api/v1/auth/login", { body: { email: owner.email, password } });
    expect(login.status).toBe(200);
    const session = await json(login);
    expect(session).toMatchObject({ tenantId: owner.tenantId, role: "owner", tokenType: "Bearer", expiresIn: 900 });

    const me = await json(await api("GET", "/api/v1/me", { token: session.accessToken }));
    expect(me.user.email).toBe(owner.email);
    expect(me.tenant).toMatchObject({ id: owner.tenantId, name: "Acme" });
    expect(me.tenants).toEqual([{ id: owner.tenantId, name: "Acme", slug: me.tenant.slug, role: "owner" }]);

    const key = await createKey(owner, ["members:read"]);
    expect(key.key).toMatch(/^crm_[A-Za-z0-9_-]{32}$/);
    const members = await api("GET", "/api/v1/members", { token: key.key });
    expect(members.status).toBe(200);
    expect((await json(members)).data.map((m: { email: string }) => m.email)).toEqual([owner.email]);

    const revoked = await api("DELETE", `/api/v1/api-keys/${key.id}`, { token: session.accessToken });
    expect(revoked.status).toBe(200);
    expect((await json(revoked)).revokedAt).not.toBeNull();
    await expectProblem(await api("GET", "/api/v1/members", { token: key.key }), 401, "UNAUTHORIZED");
  });

  it("refuses a wrong password and an unknown account alike", async () => {
    const owner = await signupTenant("Wrong");
    const wrong = await expectProblem(
      await api("POST", "/api/v1/auth/login", { body: { email: owner.email, password: "not the password" } }),
      401,
      "UNAUTHORIZED",
    );
    const unknown = await expectProblem(
      await api("POST", "/api/v1/auth/login", { body: { email: `nobody-${owner.email}`, password } }),
      401,
      "UNAUTHORIZED",
    );
    expect(wrong.detail).toBe(unknown.detail);
  });
});
