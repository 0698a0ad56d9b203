import { createDb, tenantDb } from "@crm/db";
import { systemContext, type TenantContext, type TrackingTokenKind, verifyTrackingToken } from "@crm/services";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { queueEventDispatch } from "../../lib/queue-event-dispatch";

/**
 * The tenant context a verified token names (no signed-in caller on /t/*), whose recorded
 * domain events are dispatched once the response is on its way. Null for a token that does
 * not verify.
 */
export function trackingContext(c: Context<AppEnv>, token: string, kind: TrackingTokenKind) {
  const payload = verifyTrackingToken(c.env.SECRETS_KEY, token, kind);
  if (!payload) return null;
  let recorded = false;
  const ctx: TenantContext = systemContext(
    tenantDb(createDb(c.env.DB), payload.tenantId),
    `tracking:${kind}`,
    c.get("requestId"),
    () => {
      recorded = true;
    },
  );
  const dispatch = () => {
    if (recorded) c.executionCtx.waitUntil(queueEventDispatch(c.env, payload.tenantId, c.get("requestId")));
  };
  return { payload, ctx, dispatch };
}
