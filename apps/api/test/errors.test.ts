import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectProblem, json, signupTenant } from "./harness";

/** What a leaked stack trace or source location looks like in a body. */
const stackTrace = /\n\s+at\s|\.ts:\d+|\.js:\d+|node_modules|Error: /;

async function expectNoStack(response: Response): Promise<void> {
  expect(await response.clone().text()).not.toMatch(stackTrace);
}

describe("errors are RFC 9457 problems", () => {
  it("malformed JSON is 400 MALFORMED_JSON, with or without credentials", async () => {
    const owner = await signupTenant();
    const anonymous = await api("POST", "/api/v1/auth/login", {
      rawBody: '{"email": "a@b.co", ',
      headers: { "content-type": "application/json" },
    });
    await expectNoStack(anonymous);
    await expectProblem(anonymous, 400, "MALFORMED_JSON");
    const signedIn = await api("POST", "/api/v1/api-keys", {
      token: owner.accessToken,
      rawBody: "{name: 'x'}",
      headers: { "content-type": "application/json" },
    });
    await expectProblem(signedIn, 400, "MALFORMED_JSON");
  });

  it("a body over 1 MiB is 413, whether it declares its length or streams", async () => {
    const owner = await signupTenant();
    const big = JSON.stringify({ name: "x".repeat(1024 * 1024), scopes: ["contacts:read"] });
    await expectProblem(
      await api("POST", "/api/v1/api-keys", {
        token: owner.accessToken,
        rawBody: big,
        headers: { "content-type": "application/json" },
      }),
      413,
      "PAYLOAD_TOO_LARGE",
    );
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.subarray(i, i + 64 * 1024));
        controller.close();
      },
    });
    const streamed = await SELF.fetch("https://crm.test/api/v1/api-keys", {
      method: "POST",
      headers: { authorization: `Bearer ${owner.accessToken}`, "content-type": "application/json" },
      body: stream,
    });
    await expectProblem(streamed, 413, "PAYLOAD_TOO_LARGE");
    // Nothing was created by either.
    const keys = await json(await api("GET", "/api/v1/api-keys", { token: owner.accessToken }));
    expect(keys.data).toEqual([]);
  });

  it("a text/plain body is 415", async () => {
    const response = await api("POST", "/api/v1/auth/login", {
      rawBody: '{"email":"a@b.co","password":"x"}',
      headers: { "content-type": "text/plain" },
    });
    await expectProblem(response, 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("wrong types are 422 with one error per field, paths like body.scopes.0", async () => {
    const owner = await signupTenant();
    const response = await api("POST", "/api/v1/api-keys", {
      token: owner.accessToken,
      body: { name: 42, scopes: [7, "contacts:read", "nope:write"], rateLimit: "fast", expiresAt: "tomorrow" },
    });
    const problem = await expectProblem(response, 422, "VALIDATION_FAILED");
    const paths = problem.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(["body.expiresAt", "body.name", "body.rateLimit", "body.scopes.0", "body.scopes.2"]);
    for (const error of problem.errors) expect(typeof error.message).toBe("string");
    const missing = await expectProblem(
      await api("POST", "/api/v1/api-keys", { token: owner.accessToken, body: {} }),
      422,
    );
    expect(missing.errors.map((e: { path: string }) => e.path).sort()).toEqual(["body.name", "body.scopes"]);
  });

  it("an unknown route is 404 and a wrong method is 405 with Allow", async () => {
    await expectProblem(await api("GET", "/api/v1/no-such-thing"), 404, "NOT_FOUND");
    await expectProblem(await api("GET", "/nowhere"), 404, "NOT_FOUND");
    const collection = await api("DELETE", "/api/v1/api-keys");
    expect(collection.headers.get("allow")).toBe("GET, POST");
    await expectProblem(collection, 405, "METHOD_NOT_ALLOWED");
    const item = await api("PUT", "/api/v1/api-keys/key_01jc9x7d1q8m3v5n2k4p6r8t0w");
    expect(item.headers.get("allow")).toBe("DELETE, GET");
    await expectProblem(item, 405, "METHOD_NOT_ALLOWED");
  });

  it("every response carries X-Request-Id, successes and errors alike; a sane incoming id is kept", async () => {
    const owner = await signupTenant();
    const responses = await Promise.all([
      api("GET", "/health"),
      api("GET", "/openapi.json"),
      api("GET", "/api/v1/me", { token: owner.accessToken }),
      api("GET", "/api/v1/me"),
      api("GET", "/api/v1/me", { token: "garbage" }),
      api("GET", "/api/v1/missing"),
      api("PATCH", "/health"),
      api("POST", "/api/v1/auth/login", { rawBody: "{", headers: { "content-type": "application/json" } }),
    ]);
    const ids = responses.map((r) => r.headers.get("x-request-id"));
    for (const id of ids) expect(id).toMatch(/^req_[0-9a-z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
    for (const response of responses) await expectNoStack(response);

    const traced = await api("GET", "/api/v1/missing", { headers: { "x-request-id": "client-trace.42" } });
    expect(traced.headers.get("x-request-id")).toBe("client-trace.42");
    expect((await json(traced)).requestId).toBe("client-trace.42");
    const hostile = await api("GET", "/health", { headers: { "x-request-id": "<script>" } });
    expect(hostile.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("auth failures are 401 problems without detail on why the credential failed internally", async () => {
    for (const token of ["garbage", "crm_not-a-real-key", "a.b.c"]) {
      const response = await api("GET", "/api/v1/api-keys", { token });
      await expectNoStack(response);
      await expectProblem(response, 401, "UNAUTHORIZED");
    }
    await expectProblem(
      await api("GET", "/api/v1/api-keys", { headers: { authorization: "Basic dXNlcjpwYXNz" } }),
      401,
      "UNAUTHORIZED",
    );
  });
});
