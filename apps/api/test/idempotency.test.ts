import { env } from "cloudflare:test";
import { newId } from "@crm/db";
import type { ApiError } from "@crm/errors";
import { idempotencyRequestHash, sha256Hex } from "@crm/services";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../src/env";
import { apiErrorResponse } from "../src/lib/problem";
import { idempotency } from "../src/middleware/idempotency";
import { api, expectProblem, json, signupTenant, type TestTenant } from "./harness";

const keyBody = { name: "Zapier", scopes: ["audit_log:read"] };

function createKeyWith(owner: TestTenant, idempotencyKey: string, body: unknown = keyBody) {
  return api("POST", "/api/v1/api-keys", {
    token: owner.accessToken,
    body,
    headers: { "Idempotency-Key": idempotencyKey },
  });
}

async function listKeys(owner: TestTenant): Promise<{ id: string }[]> {
  return (await json(await api("GET", "/api/v1/api-keys", { token: owner.accessToken }))).data;
}

describe("Idempotency-Key on POST", () => {
  it("the same POST twice with one key creates one API key and replays the first response", async () => {
    const owner = await signupTenant();
    const first = await createKeyWith(owner, "create-zapier-key-1");
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const created = await json(first);

    const second = await createKeyWith(owner, "create-zapier-key-1");
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.headers.get("content-type")).toContain("application/json");
    expect(second.headers.get("x-request-id")).toBeTruthy();
    expect(second.headers.get("ratelimit-limit")).toBeTruthy();
    const replayed = await json(second);
    expect(replayed).toEqual(created);

    const keys = await listKeys(owner);
    expect(keys.map((k) => k.id)).toEqual([created.id]);
  });

  it("the same key with another body is 422 IDEMPOTENCY_KEY_REUSED and creates nothing", async () => {
    const owner = await signupTenant();
    expect((await createKeyWith(owner, "k-reuse")).status).toBe(201);
    const reused = await createKeyWith(owner, "k-reuse", { ...keyBody, name: "Make" });
    await expectProblem(reused, 422, "IDEMPOTENCY_KEY_REUSED");
    expect(await listKeys(owner)).toHaveLength(1);
  });

  it("error responses are not stored: a failed request can be retried with its key", async () => {
    const owner = await signupTenant();
    await expectProblem(await createKeyWith(owner, "k-retry", { name: "", scopes: [] }), 422, "VALIDATION_FAILED");
    const retried = await createKeyWith(owner, "k-retry");
    expect(retried.status).toBe(201);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
    expect(await listKeys(owner)).toHaveLength(1);
  });

  it("keys are per tenant: another tenant's identical key and body creates its own record", async () => {
    const a = await signupTenant("A");
    const b = await signupTenant("B");
    const fromA = await json(await createKeyWith(a, "shared-key"));
    const responseB = await createKeyWith(b, "shared-key");
    expect(responseB.status).toBe(201);
    expect(responseB.headers.get("idempotent-replayed")).toBeNull();
    expect((await json(responseB)).id).not.toBe(fromA.id);
  });

  it("a key longer than 255 characters is 400; 255 is accepted", async () => {
    const owner = await signupTenant();
    const tooLong = await expectProblem(await createKeyWith(owner, "x".repeat(256)), 400, "BAD_REQUEST");
    expect(tooLong.errors).toEqual([{ path: "header.idempotency-key", message: "Must be 1 to 255 characters" }]);
    expect(await listKeys(owner)).toHaveLength(0);
    expect((await createKeyWith(owner, "y".repeat(255))).status).toBe(201);
  });

  it("stores neither the raw key nor the response in clear (a new API key's secret is in it)", async () => {
    const owner = await signupTenant();
    const created = await json(await createKeyWith(owner, "sealed-key"));
    const rows = await env.DB.prepare("select key, body, status from idempotency_keys where tenant_id = ?")
      .bind(owner.tenantId)
      .all<{ key: string; body: string; status: number }>();
    expect(rows.results).toHaveLength(1);
    const row = rows.results[0]!;
    expect(row.status).toBe(201);
    expect(row.key).toBe(await sha256Hex("sealed-key"));
    expect(row.body).not.toContain(created.key);
    expect(row.body).not.toContain(created.id);
  });

  it("after 24 hours the key is free again", async () => {
    const owner = await signupTenant();
    const first = await json(await createKeyWith(owner, "daily"));
    const dayAgo = Date.now() - 24 * 3600 * 1000 - 1000;
    await env.DB.prepare("update idempotency_keys set created_at = ? where tenant_id = ?")
      .bind(dayAgo, owner.tenantId)
      .run();
    const again = await createKeyWith(owner, "daily");
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBeNull();
    expect((await json(again)).id).not.toBe(first.id);
    expect(await listKeys(owner)).toHaveLength(2);
  });

  it("a twin still in flight is 409; a claim abandoned for over a minute is taken over", async () => {
    const owner = await signupTenant();
    const me = await json(await api("GET", "/api/v1/me", { token: owner.accessToken }));
    const requestHash = await idempotencyRequestHash({
      actorId: `user:${me.user.id}`,
      method: "POST",
      path: "/api/v1/api-keys",
      body: JSON.stringify(keyBody),
    });
    // What a request that is still running (or died) leaves behind: a claim with status 0.
    const claim = env.DB.prepare(
      "insert or replace into idempotency_keys (tenant_id, key, request_hash, status, body, content_type, created_at) values (?, ?, ?, 0, '', '', ?)",
    );
    await claim.bind(owner.tenantId, await sha256Hex("in-flight"), requestHash, Date.now()).run();
    await expectProblem(await createKeyWith(owner, "in-flight"), 409, "CONFLICT");
    expect(await listKeys(owner)).toHaveLength(0);

    await claim.bind(owner.tenantId, await sha256Hex("in-flight"), requestHash, Date.now() - 61_000).run();
    expect((await createKeyWith(owner, "in-flight")).status).toBe(201);
    expect(await listKeys(owner)).toHaveLength(1);
  });

  it("GET and requests without credentials ignore the header", async () => {
    const owner = await signupTenant();
    const list = await api("GET", "/api/v1/api-keys", {
      token: owner.accessToken,
      headers: { "Idempotency-Key": "z".repeat(300) },
    });
    expect(list.status).toBe(200);
    const anonymous = await api("POST", "/api/v1/api-keys", { body: keyBody, headers: { "Idempotency-Key": "anon" } });
    await expectProblem(anonymous, 401, "UNAUTHORIZED");
  });

  it("is documented once, as a shared parameter, on authenticated POSTs", async () => {
    const doc = await json(await api("GET", "/openapi.json"));
    expect(doc.components.parameters.IdempotencyKey).toMatchObject({
      name: "Idempotency-Key",
      in: "header",
      required: false,
    });
    const ref = { $ref: "#/components/parameters/IdempotencyKey" };
    expect(doc.paths["/api/v1/api-keys"].post.parameters).toContainEqual(ref);
    expect(doc.paths["/api/v1/auth/signup"].post.parameters ?? []).not.toContainEqual(ref);
  });

  it("replays a bodiless 204 as a 204 and runs the handler once", async () => {
    // No POST route of the API answers 204 to a principal that can repeat it (logout ends
    // the session), so a minimal app with the same middleware stands in for one.
    const app = new Hono<AppEnv>();
    const tenantId = newId("tenant");
    app.use("*", async (c, next) => {
      c.set("principal", {
        tenantId,
        actor: { type: "user", id: "us_probe", role: "owner", sessionId: "rt_probe" },
        rateLimit: 10,
      });
      await next();
    });
    app.use("*", idempotency);
    let calls = 0;
    app.post("/api/v1/ping", (c) => {
      calls += 1;
      return c.body(null, 204);
    });
    const ping = () => app.request("/api/v1/ping", { method: "POST", headers: { "Idempotency-Key": "ping-1" } }, env);
    const first = await ping();
    expect(first.status).toBe(204);
    const second = await ping();
    expect(second.status).toBe(204);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.text()).toBe("");
    expect(calls).toBe(1);
  });

  it("after the server secret changes, a stored response is refused with 409, never a 500", async () => {
    const owner = await signupTenant();
    expect((await createKeyWith(owner, "before-rotation")).status).toBe(201);
    const me = await json(await api("GET", "/api/v1/me", { token: owner.accessToken }));
    // The same middleware under a rotated secret, for the same principal and request.
    const app = new Hono<AppEnv>();
    app.use("*", async (c, next) => {
      c.set("principal", {
        tenantId: owner.tenantId,
        actor: { type: "user", id: me.user.id, role: "owner", sessionId: "rt_probe" },
        rateLimit: 10,
      });
      await next();
    });
    app.use("*", idempotency);
    app.onError((error, c) => apiErrorResponse(c, error as ApiError));
    app.post("/api/v1/api-keys", (c) => c.json({ created: "again" }, 201));
    const rotated = { ...env, JWT_SECRET: "a-rotated-secret-0123456789abcdef0123456789" };
    const response = await app.request(
      "/api/v1/api-keys",
      {
        method: "POST",
        headers: { "Idempotency-Key": "before-rotation", "content-type": "application/json" },
        body: JSON.stringify(keyBody),
      },
      rotated,
    );
    expect(response.status).toBe(409);
    expect((await response.json()) as { code: string }).toMatchObject({ code: "CONFLICT" });
  });
});
