import type { Bindings } from "../env";
import { PermanentJobError, retryDelaySeconds } from "./backoff";
import { type BatchFollowUps, handlers, storeDeadLetter } from "./handlers";
import { JobMessageSchema } from "./messages";
import { enqueueEventDispatch } from "./outreach-jobs";

export const jobsQueue = "crm-jobs";
export const deadLetterQueue = "crm-jobs-dlq";

/**
 * Runs each message's handler. Success acks; a transient failure retries with
 * exponential backoff (the queue moves it to the dead-letter queue after max_retries);
 * a message that can never succeed goes straight to the dead-letter store.
 */
export async function handleQueue(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  if (batch.queue === deadLetterQueue || batch.queue.endsWith("-dlq")) {
    for (const message of batch.messages) {
      await storeDeadLetter(env, message);
      message.ack();
    }
    return;
  }
  // Webhook deliveries wait on other people's servers (up to 10 s each): they go out side by
  // side, so one slow receiver does not hold up the rest of the batch. Outreach send batches
  // (disjoint steps, each claimed by its own key) too: one renders while another waits on D1.
  // Other jobs keep their order.
  const sideBySide = batch.messages.filter(runsSideBySide);
  // Each tenant's events dispatched once, after the whole batch (its messages are acked by then;
  // a lost enqueue is caught by the Cron sweep of undispatched events).
  const dispatchFor = new Set<string>();
  const followUps: BatchFollowUps = { dispatchEvents: (tenantId) => dispatchFor.add(tenantId) };
  for (const message of batch.messages) if (!runsSideBySide(message)) await handleMessage(message, env, followUps);
  await Promise.all(sideBySide.map((message) => handleMessage(message, env, followUps)));
  for (const tenantId of dispatchFor) await enqueueEventDispatch(env, tenantId);
}

function runsSideBySide(message: Message<unknown>): boolean {
  const type = (message.body as { type?: unknown } | null)?.type;
  return type === "webhook.deliver" || type === "outreach.sendBatch";
}

async function handleMessage(message: Message<unknown>, env: Bindings, followUps: BatchFollowUps): Promise<void> {
  const parsed = JobMessageSchema.safeParse(message.body);
  if (!parsed.success) {
    console.error(
      JSON.stringify({ level: "error", job: "invalid", messageId: message.id, issues: parsed.error.issues }),
    );
    await storeDeadLetter(env, message);
    message.ack();
    return;
  }
  const job = parsed.data;
  try {
    await (handlers[job.type] as (m: typeof job, e: Bindings, f: BatchFollowUps) => Promise<void>)(job, env, followUps);
    message.ack();
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "error",
        job: job.type,
        messageId: message.id,
        attempt: message.attempts,
        error: String(error),
      }),
    );
    if (error instanceof PermanentJobError) {
      await storeDeadLetter(env, message);
      message.ack();
    } else {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
