import { createDb, newId, tenantDb } from "@crm/db";
import {
  attemptDelivery,
  type DeliveryJob,
  dispatchPendingEvents,
  maxQueueDelaySeconds,
  urlPolicyFor,
} from "@crm/services";
import type { Bindings } from "../env";
import { chunkOf } from "./chunk";
import { enqueue, type JobMessage, JobMessageSchema } from "./messages";

/** Queues one delivery attempt; a wait beyond what a queue message may carry is split (the handler re-enqueues). */
export async function enqueueDelivery(queue: Queue, job: DeliveryJob, delaySeconds = 0): Promise<void> {
  const delay = Math.min(Math.max(0, Math.ceil(delaySeconds)), maxQueueDelaySeconds);
  await enqueue(queue, { type: "webhook.deliver", ...job }, delay > 0 ? { delaySeconds: delay } : undefined);
}

export async function enqueueDispatch(queue: Queue, tenantId: string): Promise<void> {
  await enqueue(queue, { type: "webhooks.dispatch", tenantId });
}

/** First attempts of many deliveries, 100 messages per sendBatch call (the Queues limit). */
export async function enqueueFirstAttempts(queue: Queue, tenantId: string, deliveryIds: string[]): Promise<void> {
  for (const ids of chunkOf(deliveryIds, 100)) {
    await queue.sendBatch(
      ids.map((deliveryId) => ({
        body: JobMessageSchema.parse({ type: "webhook.deliver", tenantId, deliveryId, attempt: 1, manual: false }),
      })),
    );
  }
}

export async function dispatchWebhooks(
  message: Extract<JobMessage, { type: "webhooks.dispatch" }>,
  env: Bindings,
): Promise<void> {
  const { deliveryIds, more } = await dispatchPendingEvents(tenantDb(createDb(env.DB), message.tenantId));
  // The next run first, so fanning out the rest overlaps with delivering these.
  if (more) await enqueueDispatch(env.JOBS, message.tenantId);
  await enqueueFirstAttempts(env.JOBS, message.tenantId, deliveryIds);
}

/**
 * One attempt, then whatever follows it goes back on the queue: the next attempt after
 * its backoff, the same attempt when it is not due yet, and the auto-disable notices as mail.
 * If enqueueing fails after the attempt was logged, the Cron sweep picks the delivery up.
 */
export async function deliverWebhook(
  message: Extract<JobMessage, { type: "webhook.deliver" }>,
  env: Bindings,
): Promise<void> {
  const { type: _type, ...job } = message;
  const result = await attemptDelivery(createDb(env.DB), job, {
    policy: urlPolicyFor(env.ENVIRONMENT),
    requestId: newId("request"),
  });
  if (result.kind === "not_due") {
    await enqueueDelivery(env.JOBS, job, result.delaySeconds);
  } else if (result.kind === "attempted") {
    if (result.retryInSeconds !== null) {
      await enqueueDelivery(env.JOBS, { ...job, attempt: job.attempt + 1, manual: false }, result.retryInSeconds);
    }
    for (const mail of result.notices) await enqueue(env.JOBS, { type: "email.send", ...mail });
  }
}
