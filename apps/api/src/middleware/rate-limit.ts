import { ApiError } from "@crm/errors";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { clientIp } from "../lib/ip";
import { consumeRateLimit, type RateLimitDecision, rateLimitHeaders } from "../lib/rate-limit";

export const rateLimitWindowMs = 60_000;
/** Requests per minute for a whole tenant, across its keys and people. */
export const tenantRateLimit = 6000;
/** Requests per minute from one address without credentials (sign-up, login, docs). */
export const anonymousRateLimit = 1000;

/**
 * Per principal (API key or person) and per tenant. Every response carries the
 * RateLimit-* headers of the tighter of the two; over either limit is a 429.
 */
export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const principal = c.get("principal");
  const waitUntil = (p: Promise<unknown>) => c.executionCtx.waitUntil(p);
  const decisions = principal
    ? await Promise.all([
        consumeRateLimit(
          c.env.RATE_LIMITER,
          `${principal.actor.type}:${principal.actor.id}`,
          principal.rateLimit,
          rateLimitWindowMs,
          waitUntil,
        ),
        consumeRateLimit(
          c.env.RATE_LIMITER,
          `tenant:${principal.tenantId}`,
          tenantRateLimit,
          rateLimitWindowMs,
          waitUntil,
        ),
      ])
    : [
        await consumeRateLimit(
          c.env.RATE_LIMITER,
          `ip:${clientIp(c.req.raw)}`,
          anonymousRateLimit,
          rateLimitWindowMs,
          waitUntil,
        ),
      ];
  const [own, tenant = own] = decisions as [RateLimitDecision, RateLimitDecision?];
  const denied = [own, tenant].find((d) => !d.allowed);
  const tightest: RateLimitDecision = denied ?? (own.remaining <= tenant.remaining ? own : tenant);
  const headers = rateLimitHeaders(tightest);
  if (denied) {
    throw new ApiError("RATE_LIMITED", `Rate limit of ${denied.limit} requests per minute exceeded`, {
      headers: { ...headers, "Retry-After": headers["RateLimit-Reset"]! },
    });
  }
  await next();
  for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
});
