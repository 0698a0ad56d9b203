import type { RateLimitState } from "../durable-objects/rate-limiter";

/**
 * Decides most requests in the isolate and settles with the RateLimiter Durable Object
 * in the background, as Unkey does: a request only waits on the object when the isolate
 * has no fresh window for the identity or the identity is close to its limit (within
 * `headroom`), so the 429 at the limit is exact while the hot path skips a round trip.
 */
interface LocalWindow {
  resetAt: number;
  used: number;
  pending: number;
  syncing: boolean;
}

const windows = new Map<string, LocalWindow>();

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetAt: number;
}

/** How long background reports wait for more hits to gather. */
export const settleMs = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function headroom(limit: number): number {
  return Math.max(1, Math.ceil(limit * 0.2));
}

export async function consumeRateLimit(
  namespace: DurableObjectNamespace,
  identity: string,
  limit: number,
  windowMs: number,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<RateLimitDecision> {
  const now = Date.now();
  const local = windows.get(identity);
  const stub = () =>
    namespace.get(namespace.idFromName(identity)) as unknown as {
      hit(limit: number, windowMs: number, consume: number, alreadyAllowed?: number): Promise<RateLimitState>;
    };

  if (local && now < local.resetAt && limit - local.used > headroom(limit)) {
    local.used += 1;
    local.pending += 1;
    if (!local.syncing) waitUntil(sync(identity, local, stub, limit, windowMs));
    return { allowed: true, limit, remaining: limit - local.used, resetAt: local.resetAt };
  }

  // Hand every hit not yet reported to the object along with this one, so the decision at
  // the limit counts them all; a background sync for the old window then finds nothing left.
  const pending = local && now < local.resetAt ? local.pending : 0;
  if (local) local.pending = 0;
  const state = await stub().hit(limit, windowMs, 1, pending);
  const fresh: LocalWindow = { resetAt: state.resetAt, used: state.used, pending: 0, syncing: false };
  if (windows.size > 50_000) windows.clear();
  windows.set(identity, fresh);
  return { allowed: state.allowed, limit, remaining: Math.max(0, limit - state.used), resetAt: state.resetAt };
}

async function sync(
  identity: string,
  local: LocalWindow,
  stub: () => {
    hit(limit: number, windowMs: number, consume: number, alreadyAllowed?: number): Promise<RateLimitState>;
  },
  limit: number,
  windowMs: number,
): Promise<void> {
  local.syncing = true;
  try {
    // Let hits gather before each report: under load that is ~5 object writes a second per
    // identity instead of one per request, which otherwise eats the CPU requests need.
    await sleep(settleMs);
    while (local.pending > 0) {
      const count = local.pending;
      local.pending = 0;
      const state = await stub().hit(limit, windowMs, 0, count);
      const current = windows.get(identity);
      if (current === local) {
        // Other isolates' traffic shows up here.
        local.used = Math.max(local.used, state.used + local.pending);
        local.resetAt = state.resetAt;
      }
      if (local.pending > 0) await sleep(settleMs);
    }
  } finally {
    local.syncing = false;
  }
}

/** Peek or consume without the local fast path: for rare, security-relevant limits (login). */
export async function exactRateLimit(
  namespace: DurableObjectNamespace,
  identity: string,
  limit: number,
  windowMs: number,
  consume: number,
): Promise<RateLimitDecision> {
  const stub = namespace.get(namespace.idFromName(identity)) as unknown as {
    hit(limit: number, windowMs: number, consume: number): Promise<RateLimitState>;
  };
  const state = await stub.hit(limit, windowMs, consume);
  return { allowed: state.allowed, limit, remaining: Math.max(0, limit - state.used), resetAt: state.resetAt };
}

export function rateLimitHeaders(decision: RateLimitDecision, now = Date.now()): Record<string, string> {
  const reset = Math.max(0, Math.ceil((decision.resetAt - now) / 1000));
  return {
    "RateLimit-Limit": String(decision.limit),
    "RateLimit-Remaining": String(Math.max(0, decision.remaining)),
    "RateLimit-Reset": String(reset),
  };
}
