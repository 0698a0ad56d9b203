import { ApiError } from "@crm/errors";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { clientIp } from "../../lib/ip";
import { exactRateLimit, rateLimitHeaders } from "../../lib/rate-limit";

function limited(decision: Awaited<ReturnType<typeof exactRateLimit>>, what: string): ApiError {
  const headers = rateLimitHeaders(decision);
  return new ApiError("RATE_LIMITED", `Too many ${what}; try again in ${headers["RateLimit-Reset"]} seconds`, {
    headers: { ...headers, "Retry-After": headers["RateLimit-Reset"]! },
  });
}

/** Counts every call from one address (sign-up, password-reset requests). */
export async function throttleByIp(c: Context<AppEnv>, action: string, limit: number, windowMs: number) {
  const decision = await exactRateLimit(c.env.RATE_LIMITER, `${action}:ip:${clientIp(c.req.raw)}`, limit, windowMs, 1);
  if (!decision.allowed) throw limited(decision, `${action} attempts from this address`);
}

export const loginFailureWindowMs = 15 * 60 * 1000;
export const loginFailuresPerAccount = 10;
export const loginFailuresPerIp = 50;

/**
 * Failed logins are counted per account and per address; past either limit, further
 * attempts are refused before the password is checked (so guessing gains nothing).
 */
export function loginThrottle(c: Context<AppEnv>, email: string) {
  const ids = [
    { id: `login-fail:account:${email.trim().toLowerCase()}`, limit: loginFailuresPerAccount },
    { id: `login-fail:ip:${clientIp(c.req.raw)}`, limit: loginFailuresPerIp },
  ];
  return {
    async check() {
      for (const { id, limit } of ids) {
        const decision = await exactRateLimit(c.env.RATE_LIMITER, id, limit, loginFailureWindowMs, 0);
        if (!decision.allowed) throw limited(decision, "failed logins");
      }
    },
    async recordFailure() {
      await Promise.all(
        ids.map(({ id, limit }) => exactRateLimit(c.env.RATE_LIMITER, id, limit, loginFailureWindowMs, 1)),
      );
    },
  };
}
