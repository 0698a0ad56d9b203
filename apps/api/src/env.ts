import type { Scope } from "@crm/services";
import type { Actor } from "@crm/services";

/** Bindings from wrangler.toml plus the Worker secrets (`wrangler secret put`, .dev.vars locally). */
export interface Bindings extends Env {
  /** HS256 signing key for access tokens. */
  JWT_SECRET: string;
  /** Seals mailbox and provider credentials (AES-GCM) and signs tracking/unsubscribe links. */
  SECRETS_KEY: string;
  /** "true" only under `npm run bench`: enables the baseline route in routes/bench. */
  BENCH_ROUTES?: string;
  /**
   * Workers AI, when configured in the deployment: the AI routes and analyses use it (with the
   * built-in engine as fall-back). Not in wrangler.toml: an `ai` binding fails offline runs.
   */
  AI?: Ai;
}

/** Who a request acts as, once the Authorization header has been verified. */
export interface Principal {
  tenantId: string;
  actor: Actor;
  /** Requests per minute for this principal (an API key's own limit, or the default). */
  rateLimit: number;
  scopes?: Scope[];
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: {
    requestId: string;
    principal: Principal | null;
    /** A write in this request recorded domain events (see middleware/dispatch-events). */
    eventsRecorded?: boolean;
  };
}
