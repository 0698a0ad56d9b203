import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant } from "../../../test/harness";

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() - started > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("API keys", () => {
  it("shows the secret once, lists prefix, scopes, limits and usage, never the hash", async () => {
    const owner = await signupTenant("Keys");
    const created = await json(
      await api("POST", "/api/v1/api-keys", {
        token: owner.accessToken,
        body: {
          name: "Zapier",
          scopes: ["members:read", "contacts:read"],
          rateLimit: 120,
          ipAllowlist: ["203.0.113.0/24"],
        },
      }),
    );
    expect(created).toMatchObject({
      name: "Zapier",
      prefix: created.key.slice(0, 12),
      scopes: ["members:read", "contacts:read"],
      rateLimit: 120,
      ipAllowlist: ["203.0.113.0/24"],
      expiresAt: null,
      lastUsedAt: null,
      requestCount: 0,
      revokedAt: null,
    });
    const page = await json(await api("GET", "/api/v1/api-keys", { token: owner.accessToken }));
    expect(page.nextCursor).toBeNull();
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).not.toHaveProperty("key");
    expect(page.data[0]).not.toHaveProperty("keyHash");
    expect(JSON.stringify(page)).not.toContain(created.key);

    // Inside the allow-list it works; outside it is refused.
    for (let i = 0; i < 3; i++) {
      const ok = await api("GET", "/api/v1/members", {
        token: created.key,
        headers: { "cf-connecting-ip": "203.0.113.9" },
      });
      expect(ok.status).toBe(200);
    }
    await expectProblem(
      await api("GET", "/api/v1/members", { token: created.key, headers: { "cf-connecting-ip": "198.51.100.1" } }),
      403,
      "IP_NOT_ALLOWED",
    );

    // Usage is counted in the background: the list shows three requests and a last-used time.
    const used = await eventually(
      async () => json(await api("GET", `/api/v1/api-keys/${created.id}`, { token: owner.accessToken })),
      (k) => k.requestCount === 3,
    );
    expect(used.requestCount).toBe(3);
    expect(Date.parse(used.lastUsedAt)).toBeGreaterThan(Date.parse(created.createdAt) - 1);
  });

  it("refuses an expired key, a scope it lacks, and key management through a key", async () => {
    const owner = await signupTenant("Expiry");
    await expectProblem(
      await api("POST", "/api/v1/api-keys", {
        token: owner.accessToken,
        body: { name: "Old", scopes: ["members:read"], expiresAt: "2020-01-01T00:00:00Z" },
      }),
      422,
      "VALIDATION_FAILED",
    );
    const soon = new Date(Date.now() + 1500).toISOString();
    const key = await createKey(owner, ["members:read"], { expiresAt: soon });
    expect((await api("GET", "/api/v1/members", { token: key.key })).status).toBe(200);
    await expectProblem(await api("GET", "/api/v1/invitations", { token: key.key }), 403, "INSUFFICIENT_SCOPE");
    await expectProblem(await api("GET", "/api/v1/api-keys", { token: key.key }), 403, "FORBIDDEN");
    await new Promise((resolve) => setTimeout(resolve, 1700));
    // Past its expiry the key is refused even though this isolate cached it as valid.
    await expectProblem(await api("GET", "/api/v1/members", { token: key.key }), 401, "UNAUTHORIZED");
  });

  it("validates the request with field paths", async () => {
    const owner = await signupTenant("Invalid");
    const problem = await expectProblem(
      await api("POST", "/api/v1/api-keys", {
        token: owner.accessToken,
        body: { name: "", scopes: ["contacts:delete"], rateLimit: 0, ipAllowlist: ["999.1.1.1"] },
      }),
      422,
    );
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ["body.ipAllowlist.0", "body.name", "body.rateLimit", "body.scopes.0"].sort(),
    );
  });
});
