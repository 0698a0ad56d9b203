import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RateLimiter } from "../src/durable-objects/rate-limiter";
import { rateLimitWindowMs } from "../src/middleware/rate-limit";
import { api, createKey, expectProblem, signupTenant } from "./harness";

/** Windows are fixed minutes: start a burst only when it cannot straddle a window edge. */
async function awayFromWindowEdge(marginMs = 5_000): Promise<void> {
  const untilEdge = rateLimitWindowMs - (Date.now() % rateLimitWindowMs);
  if (untilEdge < marginMs) await new Promise((resolve) => setTimeout(resolve, untilEdge + 50));
}

function headers(response: Response) {
  return {
    limit: response.headers.get("ratelimit-limit"),
    remaining: response.headers.get("ratelimit-remaining"),
    reset: Number(response.headers.get("ratelimit-reset")),
  };
}

describe("rate limits per API key", () => {
  it("a key limited to 5 a minute: 1-5 pass counting down, the 6th is 429; another key is unaffected", async () => {
    const owner = await signupTenant();
    const limited = await createKey(owner, ["audit_log:read"], { rateLimit: 5 });
    const sibling = await createKey(owner, ["audit_log:read"], { rateLimit: 5 });
    await awayFromWindowEdge();

    const remaining: (string | null)[] = [];
    for (let i = 1; i <= 5; i++) {
      const response = await api("GET", "/api/v1/audit-log", { token: limited.key });
      expect(response.status, await response.text()).toBe(200);
      const h = headers(response);
      expect(h.limit).toBe("5");
      expect(h.reset).toBeGreaterThanOrEqual(1);
      expect(h.reset).toBeLessThanOrEqual(60);
      remaining.push(h.remaining);
    }
    expect(remaining).toEqual(["4", "3", "2", "1", "0"]);

    const sixth = await api("GET", "/api/v1/audit-log", { token: limited.key });
    const retryAfter = Number(sixth.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(headers(sixth)).toMatchObject({ limit: "5", remaining: "0" });
    const problem = await expectProblem(sixth, 429, "RATE_LIMITED");
    expect(problem.detail).toContain("5 requests per minute");

    const other = await api("GET", "/api/v1/audit-log", { token: sibling.key });
    expect(other.status).toBe(200);
    expect(headers(other)).toMatchObject({ limit: "5", remaining: "4" });
    // The person who owns the keys has their own budget too.
    const person = await api("GET", "/api/v1/audit-log", { token: owner.accessToken });
    expect(person.status).toBe(200);
    expect(Number(person.headers.get("ratelimit-remaining"))).toBeGreaterThan(100);
  });

  it("headers are on every API response, including errors the route itself returns", async () => {
    const owner = await signupTenant();
    const key = await createKey(owner, ["audit_log:read"], { rateLimit: 50 });
    await awayFromWindowEdge();
    const missing = await api("GET", "/api/v1/audit-log/aud_01jc9x7d1q8m3v5n2k4p6r8t0w", { token: key.key });
    expect(missing.status).toBe(404);
    expect(headers(missing)).toMatchObject({ limit: "50", remaining: "49" });
  });
});

describe("RateLimiter Durable Object", () => {
  const stubFor = (name: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(name));

  it("allows up to the limit in a window, then refuses, and keeps the count across eviction", async () => {
    const stub = stubFor(`test:${crypto.randomUUID()}`);
    const results = await runInDurableObject(stub, (limiter: RateLimiter) =>
      [1, 2, 3, 4].map(() => limiter.hit(3, 60_000, 1)),
    );
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.used)).toEqual([1, 2, 3, 3]);
    const resetAt = results[0]!.resetAt;
    expect(resetAt % 60_000).toBe(0);
    expect(resetAt).toBeGreaterThan(Date.now());

    const stored = await runInDurableObject(stub, (_limiter: RateLimiter, state) =>
      state.storage.kv.get<{ used: number }>("window"),
    );
    expect(stored?.used).toBe(3);
    await evictDurableObject(stub);
    const afterEviction = await runInDurableObject(stub, (limiter: RateLimiter) => limiter.hit(3, 60_000, 1));
    expect(afterEviction).toMatchObject({ allowed: false, used: 3 });
  });

  it("counts hits an isolate already allowed, reads without consuming, and starts over in the next window", async () => {
    const stub = stubFor(`test:${crypto.randomUUID()}`);
    const windowMs = 1000;
    // Start just after a window edge so the first three calls share a window.
    await new Promise((resolve) => setTimeout(resolve, windowMs - (Date.now() % windowMs) + 5));
    const [settled, peek, last] = await runInDurableObject(stub, (limiter: RateLimiter) => [
      limiter.hit(5, windowMs, 0, 4),
      limiter.hit(5, windowMs, 0),
      limiter.hit(5, windowMs, 2),
    ]);
    expect(settled).toMatchObject({ used: 4, allowed: true });
    expect(peek).toMatchObject({ used: 4, allowed: true });
    expect(last).toMatchObject({ used: 4, allowed: false });
    await new Promise((resolve) => setTimeout(resolve, windowMs + 10));
    const next = await runInDurableObject(stub, (limiter: RateLimiter) => limiter.hit(5, windowMs, 2));
    expect(next).toMatchObject({ used: 2, allowed: true });
  });
});
