import { env } from "cloudflare:test";
import { decodeJwt, SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, password, signupTenant } from "../../../test/harness";
import { freshIp, invite } from "../../../test/people";

const refresh = (refreshToken: string) => api("POST", "/api/v1/auth/refresh", { body: { refreshToken } });
const me = (token: string) => api("GET", "/api/v1/me", { token });

describe("refresh tokens", () => {
  it("rotate: the new pair works and the old refresh token stops working", async () => {
    const owner = await signupTenant("Rotate");
    const first = await refresh(owner.refreshToken);
    expect(first.status).toBe(200);
    const rotated = await json(first);
    expect(rotated.refreshToken).not.toBe(owner.refreshToken);
    expect(rotated.tenantId).toBe(owner.tenantId);
    expect((await me(rotated.accessToken)).status).toBe(200);

    const second = await refresh(rotated.refreshToken);
    expect(second.status).toBe(200);
  });

  it("reusing a rotated token is 401 and revokes the whole family", async () => {
    const owner = await signupTenant("Replay");
    const rotated = await json(await refresh(owner.refreshToken));
    expect((await me(rotated.accessToken)).status).toBe(200);

    // The stolen, already-rotated token comes back.
    await expectProblem(await refresh(owner.refreshToken), 401, "UNAUTHORIZED");
    // The legitimate holder's newest refresh token and its access token die with the family.
    await expectProblem(await refresh(rotated.refreshToken), 401, "UNAUTHORIZED");
    await expectProblem(await me(rotated.accessToken), 401, "UNAUTHORIZED");
    // Another login of the same person is another family, untouched.
    const login = await api("POST", "/api/v1/auth/login", {
      body: { email: owner.email, password },
      headers: freshIp(),
    });
    expect(login.status).toBe(200);
  });

  it("logout makes both the access token and the refresh token fail", async () => {
    const owner = await signupTenant("Logout");
    expect((await me(owner.accessToken)).status).toBe(200);
    const logout = await api("POST", "/api/v1/auth/logout", { token: owner.accessToken });
    expect(logout.status).toBe(204);
    await expectProblem(await me(owner.accessToken), 401, "UNAUTHORIZED");
    await expectProblem(await refresh(owner.refreshToken), 401, "UNAUTHORIZED");
  });
});

describe("access tokens that must not verify", () => {
  /** The claims of a real token, re-signed with the test secret and the given expiry. */
  async function resign(accessToken: string, exp: number, secret = env.JWT_SECRET) {
    const claims = decodeJwt(accessToken);
    return new SignJWT({ tid: claims.tid, role: claims.role, sid: claims.sid })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(claims.sub!)
      .setIssuer(claims.iss!)
      .setAudience(claims.aud as string)
      .setIssuedAt(exp - 900)
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(secret));
  }

  it("a token signed like ours with a future expiry works (the control)", async () => {
    const owner = await signupTenant("Control");
    const token = await resign(owner.accessToken, Math.floor(Date.now() / 1000) + 600);
    expect((await me(token)).status).toBe(200);
  });

  it("expired is 401", async () => {
    const owner = await signupTenant("Expired");
    const token = await resign(owner.accessToken, Math.floor(Date.now() / 1000) - 60);
    await expectProblem(await me(token), 401, "UNAUTHORIZED");
  });

  it("signed with another secret is 401", async () => {
    const owner = await signupTenant("Forged");
    const token = await resign(
      owner.accessToken,
      Math.floor(Date.now() / 1000) + 600,
      "another-secret-of-sufficient-length-000000",
    );
    await expectProblem(await me(token), 401, "UNAUTHORIZED");
  });

  it("a tampered signature or payload is 401", async () => {
    const owner = await signupTenant("Tampered");
    const [header, payload, signature] = owner.accessToken.split(".") as [string, string, string];
    const flipped = signature.slice(0, -2) + (signature.at(-2) === "A" ? "B" : "A") + signature.at(-1);
    await expectProblem(await me(`${header}.${payload}.${flipped}`), 401, "UNAUTHORIZED");

    const claims = decodeJwt(owner.accessToken);
    const forgedPayload = btoa(JSON.stringify({ ...claims, role: "owner", tid: "tn_someoneelse" }))
      .replaceAll("+", "-")
      .replaceAll("/", "_")
      .replace(/=+$/, "");
    await expectProblem(await me(`${header}.${forgedPayload}.${signature}`), 401, "UNAUTHORIZED");
  });

  it("alg: none is 401", async () => {
    const owner = await signupTenant("AlgNone");
    const claims = decodeJwt(owner.accessToken);
    const unsigned = new UnsecuredJWT({ tid: claims.tid, role: claims.role, sid: claims.sid })
      .setSubject(claims.sub!)
      .setIssuer(claims.iss!)
      .setAudience(claims.aud as string)
      .setIssuedAt()
      .setExpirationTime("10m")
      .encode();
    expect(unsigned.split(".")[2]).toBe("");
    await expectProblem(await me(unsigned), 401, "UNAUTHORIZED");
  });
});

describe("login throttling", () => {
  it("after 10 failed logins for one account the 11th attempt, even with the right password, is 429", async () => {
    const owner = await signupTenant("Throttled");
    const headers = freshIp();
    for (let attempt = 1; attempt <= 10; attempt++) {
      const response = await api("POST", "/api/v1/auth/login", {
        body: { email: owner.email, password: "wrong password!" },
        headers,
      });
      await expectProblem(response, 401, "UNAUTHORIZED");
    }
    const blocked = await api("POST", "/api/v1/auth/login", { body: { email: owner.email, password }, headers });
    const retryAfter = Number(blocked.headers.get("retry-after"));
    await expectProblem(blocked, 429, "RATE_LIMITED");
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    // The limit is per account: someone else still logs in from another address.
    const other = await signupTenant("Unthrottled");
    const ok = await api("POST", "/api/v1/auth/login", { body: { email: other.email, password }, headers: freshIp() });
    expect(ok.status).toBe(200);
  });
});

describe("several tenants per person", () => {
  it("switch-tenant opens a session in a tenant the person belongs to, and is 404 for others", async () => {
    const ada = await signupTenant("Ada's own");
    const globex = await signupTenant("Globex");
    const stranger = await signupTenant("Stranger");

    // Globex invites Ada, who already has an account: she confirms with her password.
    const { token } = await invite(globex, ada.email, "member");
    const accepted = await api("POST", "/api/v1/invitations/accept", { body: { token, password }, headers: freshIp() });
    expect(accepted.status, await accepted.clone().text()).toBe(201);

    const switched = await api("POST", "/api/v1/auth/switch-tenant", {
      token: ada.accessToken,
      body: { tenantId: globex.tenantId },
    });
    expect(switched.status).toBe(200);
    const session = await json(switched);
    expect(session).toMatchObject({ tenantId: globex.tenantId, role: "member", tokenType: "Bearer" });
    const profile = await json(await me(session.accessToken));
    expect(profile.tenant.id).toBe(globex.tenantId);
    expect(profile.role).toBe("member");
    expect(profile.tenants.map((t: { id: string }) => t.id).sort()).toEqual([ada.tenantId, globex.tenantId].sort());
    // The new refresh token stays in Globex; the old session still works in Ada's tenant.
    expect((await json(await refresh(session.refreshToken))).tenantId).toBe(globex.tenantId);
    expect((await json(await me(ada.accessToken))).tenant.id).toBe(ada.tenantId);

    const notMine = await api("POST", "/api/v1/auth/switch-tenant", {
      token: ada.accessToken,
      body: { tenantId: stranger.tenantId },
    });
    await expectProblem(notMine, 404, "NOT_FOUND");
    const unknown = await api("POST", "/api/v1/auth/switch-tenant", {
      token: ada.accessToken,
      body: { tenantId: "tn_01jzzzzzzzzzzzzzzzzzzzzzzz" },
    });
    await expectProblem(unknown, 404, "NOT_FOUND");
  });

  it("switch-tenant refuses API keys and anonymous callers, and validates the body", async () => {
    const owner = await signupTenant("Keys");
    const key = await createKey(owner, ["members:read"]);
    const body = { tenantId: owner.tenantId };
    await expectProblem(await api("POST", "/api/v1/auth/switch-tenant", { token: key.key, body }), 403, "FORBIDDEN");
    await expectProblem(await api("POST", "/api/v1/auth/switch-tenant", { body }), 401, "UNAUTHORIZED");
    const invalid = await expectProblem(
      await api("POST", "/api/v1/auth/switch-tenant", { token: owner.accessToken, body: { tenantId: 42 } }),
      422,
      "VALIDATION_FAILED",
    );
    expect(invalid.errors.map((e: { path: string }) => e.path)).toEqual(["body.tenantId"]);
  });

  it("POST /tenants creates another organization owned by the caller, with a session in it", async () => {
    const owner = await signupTenant("First org");
    const created = await api("POST", "/api/v1/tenants", { token: owner.accessToken, body: { name: "  Second org " } });
    expect(created.status).toBe(201);
    const session = await json(created);
    expect(session.role).toBe("owner");
    expect(session.tenantId).not.toBe(owner.tenantId);

    const profile = await json(await me(session.accessToken));
    expect(profile.tenant.name).toBe("Second org");
    expect(profile.tenants).toHaveLength(2);
    // The new tenant starts with its founder as the only member, and an audit entry.
    const members = await json(await api("GET", "/api/v1/members", { token: session.accessToken }));
    expect(members.data.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      [owner.email, "owner"],
    ]);
    const audit = await env.DB.prepare(
      "select action, entity, entity_id as entityId from audit_log where tenant_id = ?",
    )
      .bind(session.tenantId)
      .all();
    expect(audit.results).toEqual([{ action: "create", entity: "tenant", entityId: session.tenantId }]);

    const invalid = await expectProblem(
      await api("POST", "/api/v1/tenants", { token: owner.accessToken, body: { name: "   " } }),
      422,
      "VALIDATION_FAILED",
    );
    expect(invalid.errors.map((e: { path: string }) => e.path)).toEqual(["body.name"]);
    await expectProblem(await api("POST", "/api/v1/tenants", { body: { name: "Anon" } }), 401, "UNAUTHORIZED");
  });
});
