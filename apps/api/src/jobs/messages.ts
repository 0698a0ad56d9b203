import { z } from "zod";
import { aiScoredRecordTypes } from "@crm/db";

/** Every message on the JOBS queue: one typed union, validated when it is consumed. */
export const JobMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("email.send"),
    tenantId: z.string().nullable(),
    kind: z.string(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    html: z.string().optional(),
    dedupeKey: z.string(),
  }),
  z.object({ type: z.literal("maintenance.purge") }),
  /**
   * A CSV import from one chunk on: chunks of importChunkRows records from `startByte` (a
   * record boundary) of the uploaded file. The consumer writes a few chunks, then queues
   * the message for the next one.
   */
  z.object({
    type: z.literal("import.chunk"),
    tenantId: z.string(),
    importId: z.string(),
    chunkIndex: z.number().int().min(0),
    startByte: z.number().int().min(0),
    /** The row number (header = 1) of the chunk's first record. */
    firstRow: z.number().int().min(1),
  }),
  /** Fan a tenant's undispatched domain events out to its webhook subscriptions. */
  z.object({ type: z.literal("webhooks.dispatch"), tenantId: z.string() }),
  /** One attempt of one webhook delivery. */
  z.object({
    type: z.literal("webhook.deliver"),
    tenantId: z.string(),
    deliveryId: z.string(),
    attempt: z.number().int().min(1),
    manual: z.boolean(),
  }),
  /** Match a tenant's domain events no workflow has looked at against its active workflows. */
  z.object({ type: z.literal("workflows.dispatch"), tenantId: z.string() }),
  /** Run (or resume) one workflow execution from its next step. */
  z.object({ type: z.literal("workflow.run"), tenantId: z.string(), executionId: z.string() }),
  /**
   * One enrollment step to send (or skip, or place in its window). `at` is the scheduler's
   * "now" (the Cron tick's scheduled time); `slotAt` a spacing slot already reserved for it.
   */
  z.object({
    type: z.literal("outreach.send"),
    tenantId: z.string(),
    enrollmentId: z.string(),
    stepId: z.string(),
    at: z.number().int(),
    slotAt: z.number().int().optional(),
  }),
  /**
   * Up to `sendBatchSize` due enrollment steps of one tenant, as one Cron tick found them: sent
   * side by side in one invocation, with one webhook and one workflow dispatch after them.
   */
  z.object({
    type: z.literal("outreach.sendBatch"),
    tenantId: z.string(),
    at: z.number().int(),
    sends: z
      .array(z.object({ enrollmentId: z.string(), stepId: z.string() }))
      .min(1)
      .max(500),
  }),
  /**
   * One chunk of a bulk rescoring job: the records of `objectType` (default contact) after
   * `afterId` in id order. The consumer scores a few chunks, then queues the message for the next one.
   */
  z.object({
    type: z.literal("ai.rescore"),
    tenantId: z.string(),
    jobId: z.string(),
    chunkIndex: z.number().int().min(0),
    afterId: z.string().nullable(),
    objectType: z.enum(aiScoredRecordTypes).optional(),
  }),
  /**
   * Recommendations of one tenant from a position on: the records of `recordType` after `afterId`
   * (then the next types), decided as of `at` (the Cron tick's time). A few chunks per message.
   */
  z.object({
    type: z.literal("ai.recommend"),
    tenantId: z.string(),
    at: z.number().int(),
    recordType: z.enum(["contact", "lead", "deal"]),
    afterId: z.string().nullable(),
  }),
  /** Retrain a tenant's models trained more than a week before `at` (the weekly retraining). */
  z.object({ type: z.literal("ai.retrain"), tenantId: z.string(), at: z.number().int() }),
  /** The pipeline agent over a tenant's due deals, as of `at` (the hourly tick's scheduled time). */
  z.object({ type: z.literal("ai.agent"), tenantId: z.string(), at: z.number().int() }),
  /** The daily stuck-deal review of a tenant (the 07 UTC hourly tick), logged and notified. */
  z.object({ type: z.literal("ai.agentReview"), tenantId: z.string(), at: z.number().int() }),
  /** A stored inbound reply whose processing stopped part way: finish it (the five-minute sweep). */
  z.object({
    type: z.literal("inbound.resume"),
    tenantId: z.string(),
    inboundEmailId: z.string(),
    at: z.number().int(),
  }),
  /** One page of a schedule tick or a date-relative check: runs for the due records. */
  z.object({
    type: z.literal("workflow.time"),
    tenantId: z.string(),
    workflowId: z.string(),
    kind: z.enum(["schedule", "date"]),
    at: z.number().int(),
    from: z.number().int().optional(),
    afterId: z.string().nullable().optional(),
    created: z.number().int().min(0).optional(),
  }),
]);

export type JobMessage = z.infer<typeof JobMessageSchema>;
export type JobType = JobMessage["type"];

/** Enqueue through this so only well-formed messages reach the queue. */
export async function enqueue(queue: Queue, message: JobMessage, options?: QueueSendOptions): Promise<void> {
  await queue.send(JobMessageSchema.parse(message), options);
}
