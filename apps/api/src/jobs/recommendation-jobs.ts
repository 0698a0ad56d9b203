import { createDb, tenantDb } from "@crm/db";
import { type RecommendPosition, runRecommendChunks, type TenantContext } from "@crm/services";
import type { Bindings } from "../env";
import { enqueue, type JobMessage } from "./messages";

type RecommendMessage = Extract<JobMessage, { type: "ai.recommend" }>;

/** Chunks one message decides before handing on, within a time budget (like ai.rescore). */
export const recommendChunksPerMessage = 20;
const messageBudgetMs = 15_000;

export function recommendationContext(env: Bindings, tenantId: string, requestId: string): TenantContext {
  return {
    tenant: { id: tenantId },
    actor: { type: "system", id: "ai-recommendations" },
    db: tenantDb(createDb(env.DB), tenantId),
    requestId,
  };
}

/** Queues the rest of a generation run from `position`. */
export async function enqueueRecommend(
  queue: Queue,
  tenantId: string,
  at: Date,
  position: RecommendPosition,
): Promise<void> {
  await enqueue(queue, { type: "ai.recommend", tenantId, at: at.getTime(), ...position });
}

/**
 * Decides a few chunks of one tenant's records and writes their recommendations, then queues the
 * message for the rest. A redelivered message decides the same records again: the writes are
 * upserts keyed by record and action, so nothing doubles.
 */
export async function runRecommend(message: RecommendMessage, env: Bindings): Promise<void> {
  const at = new Date(message.at);
  const ctx = recommendationContext(env, message.tenantId, `ai-recommend/${message.at}/${message.recordType}`);
  const { next } = await runRecommendChunks(ctx, { recordType: message.recordType, afterId: message.afterId }, at, {
    chunks: recommendChunksPerMessage,
    ms: messageBudgetMs,
  });
  if (next) await enqueueRecommend(env.JOBS, message.tenantId, at, next);
}
