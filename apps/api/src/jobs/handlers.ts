import { rescoreDeadLettered, runAgent, runAgentReview, runRescore, runRetrain } from "./ai-jobs";
import { runRecommend } from "./recommendation-jobs";
import {
  createDb,
  deadLetterJobs,
  domainEvents,
  idempotencyKeys,
  newId,
  passwordResets,
  refreshTokens,
  webhookDeliveries,
} from "@crm/db";
import { DevOutboxTransport } from "@crm/services";
import { and, inArray, lt, or, isNotNull } from "drizzle-orm";
import type { Bindings } from "../env";
import { resumeInboundReply } from "../inbound/email";
import { runImportChunk } from "../imports/run";
import type { JobMessage } from "./messages";
import { sendOutreachBatch, sendOutreachStep } from "./outreach-jobs";
import { deliverWebhook, dispatchWebhooks } from "./webhook-jobs";
import { dispatchWorkflows, runTimeTrigger, runWorkflow } from "./workflow-jobs";

/**
 * What a queue batch's handlers leave to be done once for the whole batch: each tenant's event
 * dispatch (webhooks and workflows), however many of the batch's messages recorded events.
 */
export interface BatchFollowUps {
  dispatchEvents(tenantId: string): void;
}

type Handler<T extends JobMessage["type"]> = (
  message: Extract<JobMessage, { type: T }>,
  env: Bindings,
  followUps?: BatchFollowUps,
) => Promise<void>;

const sendEmail: Handler<"email.send"> = async (message, env) => {
  const transport = new DevOutboxTransport(createDb(env.DB));
  await transport.send({ ...message });
};

/** How long dispatched domain events and finished webhook deliveries (with their attempt log) are kept. */
export const webhookLogRetentionMs = 30 * 24 * 3600 * 1000;

/**
 * Drops what has expired: idempotency records (24 h), dead refresh tokens and reset links,
 * and domain events and finished webhook deliveries past their retention.
 */
const purge: Handler<"maintenance.purge"> = async (_message, env) => {
  const db = createDb(env.DB);
  const now = Date.now();
  await db.batch([
    db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, new Date(now - 24 * 3600 * 1000))),
    db.delete(refreshTokens).where(or(lt(refreshTokens.expiresAt, new Date(now)), isNotNull(refreshTokens.revokedAt))!),
    db.delete(passwordResets).where(lt(passwordResets.expiresAt, new Date(now - 24 * 3600 * 1000))),
    db
      .delete(domainEvents)
      .where(
        and(
          isNotNull(domainEvents.dispatchedAt),
          isNotNull(domainEvents.workflowsAt),
          lt(domainEvents.createdAt, new Date(now - webhookLogRetentionMs)),
        )!,
      ),
    db
      .delete(webhookDeliveries)
      .where(
        and(
          inArray(webhookDeliveries.status, ["succeeded", "failed"]),
          lt(webhookDeliveries.createdAt, new Date(now - webhookLogRetentionMs)),
        )!,
      ),
  ]);
};

export const handlers: { [T in JobMessage["type"]]: Handler<T> } = {
  "email.send": sendEmail,
  "maintenance.purge": purge,
  "import.chunk": runImportChunk,
  "webhooks.dispatch": dispatchWebhooks,
  "webhook.deliver": deliverWebhook,
  "workflows.dispatch": dispatchWorkflows,
  "workflow.run": runWorkflow,
  "workflow.time": runTimeTrigger,
  "outreach.send": sendOutreachStep,
  "outreach.sendBatch": sendOutreachBatch,
  "ai.rescore": runRescore,
  "ai.retrain": runRetrain,
  "ai.agent": runAgent,
  "ai.agentReview": runAgentReview,
  "ai.recommend": runRecommend,
  "inbound.resume": resumeInboundReply,
};

/** A message that used up its retries lands here, kept in D1 for inspection. */
export async function storeDeadLetter(env: Bindings, message: Message<unknown>): Promise<void> {
  const body = message.body as { type?: unknown; tenantId?: unknown } | null;
  await rescoreDeadLettered(env, message.body);
  await createDb(env.DB)
    .insert(deadLetterJobs)
    .values({
      id: newId("deadLetter"),
      messageId: message.id,
      tenantId: typeof body?.tenantId === "string" ? body.tenantId : null,
      type: typeof body?.type === "string" ? body.type : "unknown",
      body: message.body,
      attempts: message.attempts,
    })
    .onConflictDoNothing({ target: deadLetterJobs.messageId });
}
