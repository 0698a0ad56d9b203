import { createDb } from "@crm/db";
import { type DueSend, findDueSends, type SendDeps, sendEnrollmentStep } from "@crm/services";
import type { Bindings } from "../env";
import { chunkOf } from "./chunk";
import { enqueue, type JobMessage, JobMessageSchema } from "./messages";
import { enqueueDispatch } from "./webhook-jobs";
import { enqueueWorkflowDispatch } from "./workflow-jobs";

/** What the send pipeline needs from the environment. */
export function sendDeps(env: Bindings): SendDeps {
  return {
    db: createDb(env.DB),
    secretsKey: env.SECRETS_KEY,
    publicApiUrl: env.PUBLIC_API_URL,
    inboundDomain: env.INBOUND_DOMAIN,
  };
}

/** The Cron tick's part: due enrollment steps, one `outreach.send` message each (100 per sendBatch). */
export async function enqueueDueSends(env: Bindings, now: Date): Promise<DueSend[]> {
  const due = await findDueSends(createDb(env.DB), now);
  for (const part of chunkOf(due, 100)) {
    await env.JOBS.sendBatch(
      part.map((send) => ({ body: JobMessageSchema.parse({ type: "outreach.send", ...send, at: now.getTime() }) })),
    );
  }
  return due;
}

/**
 * One step of one enrollment. A send held back by the mailbox's spacing comes back at its
 * slot (the queue's delay); a sent email's `email.sent` event goes to webhooks and workflows.
 */
export async function sendOutreachStep(
  message: Extract<JobMessage, { type: "outreach.send" }>,
  env: Bindings,
): Promise<void> {
  const { type: _type, ...job } = message;
  const result = await sendEnrollmentStep(sendDeps(env), job);
  if (result.outcome === "deferred") {
    const wait = Math.max(1, Math.ceil((result.slotAt - Math.max(job.at, Date.now())) / 1000));
    await enqueue(
      env.JOBS,
      { ...message, at: result.slotAt, slotAt: result.slotAt },
      { delaySeconds: Math.min(wait, 43_200) },
    );
  }
  if (result.outcome === "sent") {
    await enqueueDispatch(env.JOBS, message.tenantId);
    await enqueueWorkflowDispatch(env.JOBS, message.tenantId);
  }
}
