import { createDb } from "@crm/db";
import {
  type DueSend,
  findDueSends,
  type SendDeps,
  type SendJob,
  sendEnrollmentStep,
  sendEnrollmentSteps,
} from "@crm/services";
import type { Bindings } from "../env";
import { chunkOf } from "./chunk";
import type { BatchFollowUps } from "./handlers";
import { enqueue, type JobMessage, JobMessageSchema } from "./messages";
import { enqueueDispatch } from "./webhook-jobs";
import { enqueueWorkflowDispatch } from "./workflow-jobs";

/**
 * Due steps per `outreach.sendBatch` message: one invocation reads, renders and writes them
 * together (sendEnrollmentSteps), so the per-message and per-statement costs are shared by 250.
 */
export const sendBatchSize = 250;
/** Messages per `sendBatch` call: 8 messages of 250 steps are ~190 KB of the call's 256 KB. */
const messagesPerSendBatch = 8;

/** What the send pipeline needs from the environment. */
export function sendDeps(env: Bindings): SendDeps {
  return {
    db: createDb(env.DB),
    secretsKey: env.SECRETS_KEY,
    publicApiUrl: env.PUBLIC_API_URL,
    inboundDomain: env.INBOUND_DOMAIN,
  };
}

/** The Cron tick's part: due enrollment steps, `sendBatchSize` of one tenant per message. */
export async function enqueueDueSends(env: Bindings, now: Date): Promise<DueSend[]> {
  const due = await findDueSends(createDb(env.DB), now);
  const byTenant = new Map<string, DueSend[]>();
  for (const send of due) {
    const sends = byTenant.get(send.tenantId);
    if (sends) sends.push(send);
    else byTenant.set(send.tenantId, [send]);
  }
  const messages = [...byTenant].flatMap(([tenantId, sends]) =>
    chunkOf(sends, sendBatchSize).map((part) =>
      JobMessageSchema.parse({
        type: "outreach.sendBatch",
        tenantId,
        at: now.getTime(),
        sends: part.map(({ enrollmentId, stepId }) => ({ enrollmentId, stepId })),
      }),
    ),
  );
  for (const part of chunkOf(messages, messagesPerSendBatch)) await env.JOBS.sendBatch(part.map((body) => ({ body })));
  return due;
}

/**
 * Steps of one tenant sent side by side. A send held back by the mailbox's spacing comes back
 * alone at its slot (the queue's delay); the batch's `email.sent` events go to webhooks and
 * workflows with one dispatch each, or one for the whole queue batch (`followUps`: the
 * consumer runs a queue batch's send messages side by side, ten messages of one tenant
 * would otherwise queue twenty dispatches that run one after another, the later ones finding
 * nothing left to dispatch).
 */
export async function sendOutreachBatch(
  message: Extract<JobMessage, { type: "outreach.sendBatch" }>,
  env: Bindings,
  followUps?: BatchFollowUps,
): Promise<void> {
  const jobs: SendJob[] = message.sends.map((send) => ({ tenantId: message.tenantId, at: message.at, ...send }));
  const outcomes = await sendEnrollmentSteps(sendDeps(env), jobs);
  await afterSends(env, message.tenantId, message.at, jobs, outcomes, followUps);
}

/** One step of one enrollment: a deferred send at its slot, or a message delivered on its own. */
export async function sendOutreachStep(
  message: Extract<JobMessage, { type: "outreach.send" }>,
  env: Bindings,
  followUps?: BatchFollowUps,
): Promise<void> {
  const { type: _type, ...job } = message;
  const outcome = await sendEnrollmentStep(sendDeps(env), job);
  await afterSends(env, message.tenantId, message.at, [job], [outcome], followUps);
}

async function afterSends(
  env: Bindings,
  tenantId: string,
  at: number,
  jobs: SendJob[],
  outcomes: Awaited<ReturnType<typeof sendEnrollmentSteps>>,
  followUps: BatchFollowUps | undefined,
): Promise<void> {
  const deferred: JobMessage[] = [];
  const delays: number[] = [];
  outcomes.forEach((result, i) => {
    if (result.outcome !== "deferred") return;
    const job = jobs[i]!;
    deferred.push({
      type: "outreach.send",
      tenantId,
      enrollmentId: job.enrollmentId,
      stepId: job.stepId,
      at: result.slotAt,
      slotAt: result.slotAt,
    });
    delays.push(Math.min(Math.max(1, Math.ceil((result.slotAt - Math.max(at, Date.now())) / 1000)), 43_200));
  });
  for (const [i, body] of deferred.entries()) await enqueue(env.JOBS, body, { delaySeconds: delays[i]! });
  if (!outcomes.some((result) => result.outcome === "sent")) return;
  if (followUps) followUps.dispatchEvents(tenantId);
  else await enqueueEventDispatch(env, tenantId);
}

/** The tenant's recorded events to webhooks and workflows. */
export async function enqueueEventDispatch(env: Bindings, tenantId: string): Promise<void> {
  await enqueueDispatch(env.JOBS, tenantId);
  await enqueueWorkflowDispatch(env.JOBS, tenantId);
}
