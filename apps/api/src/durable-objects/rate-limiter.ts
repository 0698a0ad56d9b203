import { DurableObject } from "cloudflare:workers";

export interface RateLimitState {
  allowed: boolean;
  limit: number;
  used: number;
  /** Epoch ms when the current window ends. */
  resetAt: number;
}

/**
 * One instance per limited identity (an API key, a tenant, a login target). Fixed
 * windows; the count survives eviction through the object's SQLite-backed storage.
 */
export class RateLimiter extends DurableObject<Env> {
  private windowStart = 0;
  private used = 0;
  private loaded = false;

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    const saved = this.ctx.storage.kv.get<{ windowStart: number; used: number }>("window");
    if (saved) {
      this.windowStart = saved.windowStart;
      this.used = saved.used;
    }
  }

  /**
   * Adds `alreadyAllowed` hits that an isolate let through on its own, then tries to
   * consume `consume` more within `limit`. `consume: 0` only reads the state.
   */
  hit(limit: number, windowMs: number, consume: number, alreadyAllowed = 0): RateLimitState {
    this.load();
    const now = Date.now();
    const windowStart = Math.floor(now / windowMs) * windowMs;
    if (windowStart !== this.windowStart) {
      this.windowStart = windowStart;
      this.used = 0;
    }
    this.used += alreadyAllowed;
    const allowed = this.used + consume <= limit;
    if (allowed) this.used += consume;
    this.ctx.storage.kv.put("window", { windowStart: this.windowStart, used: this.used });
    return {
      allowed: consume === 0 ? this.used < limit : allowed,
      limit,
      used: this.used,
      resetAt: windowStart + windowMs,
    };
  }
}
