import { type AiModelKind, aiRescoreJobs, createDb, type Database, tenantDb } from "@crm/db";
import {
  failRescore,
  getAiAgentSettings,
  queueAutomaticRescore,
  recordStuckDealReview,
  rescoreActor,
  runPipelineAgent,
  retrainStaleModels,
  runRescoreChunk,
  tenantHasActiveWebhooks,
  tenantHasActiveWorkflows,
  type TenantContext,
} from "@crm/services";
import { eq } from "drizzle-orm";
import type { Bindings } from "../env";
import { enqueue, type JobMessage, JobMessageSchema } from "./messages";
import { sendDeps } from "./outreach-jobs";
import { enqueueDispatch } from "./webhook-jobs";
import { enqueueWorkflowDispatch } from "./workflow-jobs";

type RescoreMessage = Extract<JobMessage, { type: "ai.rescore" }>;

/** Queues the first chunk of a rescoring job just created (one with nothing to score is already completed). */
export async function enqueueRescoreStart(
  queue: Queue,
  tenantId: string,
  job: { id: string; status: string; objectType: RescoreMessage["objectType"] },
): Promise<void> {
  if (job.status !== "queued") return;
  await enqueue(queue, {
    type: "ai.rescore",
    tenantId,
    jobId: job.id,
    chunkIndex: 0,
    afterId: null,
    objectType: job.objectType,
  });
}

/**
 * After a training activated a new model of `kind`: rescores every record the kind covers with
 * it, unless the tenant already has a rescoring of that kind under way.
 */
export async function rescoreAfterTraining(ctx: TenantContext, queue: Queue, kind: AiModelKind): Promise<void> {
  const job = await queueAutomaticRescore(ctx, { kind, trigger: "retrain" });
  if (job) await enqueueRescoreStart(queue, ctx.tenant.id, job);
}

/**
 * The hourly tick's rescoring of what went stale: per tenant using scores and per kind it uses,
 * one job over the records changed since their score (at most the per-tick cap), none when
 * nothing changed or a rescoring of that kind is still under way.
 */
export async function queueStaleRescores(
  db: Database,
  queue: Queue,
  tenantsUsingScores: { tenantId: string; kinds: AiModelKind[] }[],
): Promise<void> {
  for (const { tenantId, kinds } of tenantsUsingScores) {
    const ctx: TenantContext = {
      tenant: { id: tenantId },
      actor: { type: "system", id: "ai-rescore-schedule" },
      db: tenantDb(db, tenantId),
      requestId: "ai-rescore-schedule",
    };
    for (const kind of kinds) {
      const job = await queueAutomaticRescore(ctx, { kind, trigger: "schedule" });
      if (job) await enqueueRescoreStart(queue, tenantId, job);
    }
  }
}

/** Chunks one message scores before handing on (each chunk is its own batch), within a time budget. */
const chunksPerMessage = 20;
const messageBudgetMs = 15_000;

/**
 * Runs chunks of a rescoring job from the message's chunk on, then queues the next one. A
 * redelivered chunk finds its marker and only passes the chain on. Qualification moves are
 * contact and lead updates with domain events: they go to webhooks and workflows like a request's.
 */
export async function runRescore(message: RescoreMessage, env: Bindings): Promise<void> {
  const began = Date.now();
  const db = tenantDb(createDb(env.DB), message.tenantId);
  const job = await db.findFirst(aiRescoreJobs, eq(aiRescoreJobs.id, message.jobId));
  if (!job) return;
  const ctx: TenantContext = {
    tenant: { id: message.tenantId },
    actor: rescoreActor(job),
    db,
    requestId: `${job.id}/${message.chunkIndex}`,
    memo: new Map(),
  };
  let next: RescoreMessage | null = message;
  let eventsRecorded = false;
  for (let n = 0; next && n < chunksPerMessage && Date.now() - began < messageBudgetMs; n++) {
    const result = await runRescoreChunk(ctx, next.jobId, next.chunkIndex, next.afterId, next.objectType);
    eventsRecorded ||= result.eventsRecorded;
    next = result.next ? { ...next, chunkIndex: next.chunkIndex + 1, ...result.next } : null;
  }
  if (next) await enqueue(env.JOBS, next);
  if (eventsRecorded) {
    if (await tenantHasActiveWebhooks(ctx)) await enqueueDispatch(env.JOBS, message.tenantId);
    if (await tenantHasActiveWorkflows(ctx)) await enqueueWorkflowDispatch(env.JOBS, message.tenantId);
  }
}

/** The weekly retraining of one tenant's models (found by the hourly Cron). */
export async function runRetrain(message: Extract<JobMessage, { type: "ai.retrain" }>, env: Bindings): Promise<void> {
  const ctx: TenantContext = {
    tenant: { id: message.tenantId },
    actor: { type: "system", id: "ai-retraining" },
    db: tenantDb(createDb(env.DB), message.tenantId),
    requestId: `ai-retrain/${message.at}`,
  };
  const retrained = await retrainStaleModels(ctx, new Date(message.at));
  for (const kind of new Set(retrained.map((m) => m.kind))) await rescoreAfterTraining(ctx, env.JOBS, kind);
}

/** A rescoring chunk that used up its retries ends its job as failed, so its progress stops saying running. */
export async function rescoreDeadLettered(env: Bindings, body: unknown): Promise<void> {
  const parsed = JobMessageSchema.safeParse(body);
  if (!parsed.success || parsed.data.type !== "ai.rescore") return;
  const { tenantId, jobId, chunkIndex } = parsed.data;
  await failRescore(
    {
      tenant: { id: tenantId },
      actor: { type: "system", id: "ai-rescore" },
      db: tenantDb(createDb(env.DB), tenantId),
      requestId: jobId,
    },
    jobId,
    `Chunk ${chunkIndex} failed after its retries`,
  );
}

/**
 * The pipeline agent's hourly run over one tenant's due deals. A tenant that turned the agent
 * off since the tick is left alone; repeated suggestions are not logged again. Its writes'
 * domain events (stage moves, emails) go to webhooks and workflows like a person's.
 */
export async function runAgent(message: Extract<JobMessage, { type: "ai.agent" }>, env: Bindings): Promise<void> {
  let eventsRecorded = false;
  const ctx: TenantContext = {
    tenant: { id: message.tenantId },
    actor: { type: "system", id: "ai-agent" },
    db: tenantDb(createDb(env.DB), message.tenantId),
    requestId: `ai-agent/${message.at}`,
    onEventsRecorded: () => {
      eventsRecorded = true;
    },
  };
  if ((await getAiAgentSettings(ctx)).mode === "off") return;
  await runPipelineAgent(ctx, sendDeps(env), { now: new Date(message.at), triggeredBy: "cron", skipRepeats: true });
  if (eventsRecorded) {
    if (await tenantHasActiveWebhooks(ctx)) await enqueueDispatch(env.JOBS, message.tenantId);
    if (await tenantHasActiveWorkflows(ctx)) await enqueueWorkflowDispatch(env.JOBS, message.tenantId);
  }
}

/** The daily stuck-deal review of one tenant (the 07 UTC tick). */
export async function runAgentReview(
  message: Extract<JobMessage, { type: "ai.agentReview" }>,
  env: Bindings,
): Promise<void> {
  await recordStuckDealReview(
    {
      tenant: { id: message.tenantId },
      actor: { type: "system", id: "ai-agent" },
      db: tenantDb(createDb(env.DB), message.tenantId),
      requestId: `ai-agent-review/${message.at}`,
    },
    new Date(message.at),
  );
}
