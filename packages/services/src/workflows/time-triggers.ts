import {
  type Database,
  domainEvents,
  newId,
  type TenantDb,
  workflowExecutions,
  workflowSteps,
  workflows,
} from "@crm/db";
import {
  evaluateConditions,
  nextCronRun,
  readField,
  relativeDateWindow,
  relativeDueDay,
  type WorkflowObject,
} from "@crm/workflows";
import type { BatchItem } from "drizzle-orm/batch";
import { and, between, eq, isNull, lt, lte, sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import { chunk } from "../records/insert-many";
import { conditionKinds } from "./kinds";
import { dateFieldDaySql, workflowRecordPage } from "./records";
import { definitionOf } from "./workflows";

/** Events left untaken this long were missed by their request's dispatch (or gated off). */
const eventGraceMs = 30_000;
const sweepLimit = 1000;
/** A run still `running` this long after it started lost its queue message (or its worker). */
const stalledRunMs = 5 * 60_000;
/** A step is seconds of work (a webhook call at most 10 s): one claimed this long died with its worker. */
const stuckStepMs = 10 * 60_000;
const interruptedMessage =
  "Interrupted: the worker running this step stopped; the step may or may not have taken effect";
/** Records looked at per queue message of a time-triggered run. */
export const timeTriggerPageSize = 100;
/** Runs one schedule tick or date check creates at most; the rest of the records wait for the next one. */
export const maxRunsPerTimeTrigger = 1000;

export interface TimeTriggerJob {
  tenantId: string;
  workflowId: string;
  kind: "schedule" | "date";
  /** schedule: the tick's time; date: the end of the window checked. */
  at: number;
  /** date: the start of the window (the previous check). */
  from?: number | undefined;
  afterId?: string | null | undefined;
  created?: number | undefined;
}

/**
 * What a Cron tick hands to the queue, across tenants (it reads partial indexes of pending
 * rows only): tenants with events no dispatch took, waiting runs now due (flipped back to
 * running here, their wait step marked done, so a second tick does not resume them twice),
 * schedule workflows due (their next run moved on first) and date-relative workflows (their
 * window moved on first). `now` is the tick's scheduled time.
 */
export async function findDueWorkflowWork(db: Database, now: Date) {
  const tenants = await db
    .selectDistinct({ tenantId: domainEvents.tenantId })
    .from(domainEvents)
    .where(and(isNull(domainEvents.workflowsAt), lt(domainEvents.createdAt, new Date(now.getTime() - eventGraceMs))))
    .limit(sweepLimit);

  const due = await db
    .select({ tenantId: workflowExecutions.tenantId, id: workflowExecutions.id, nextStep: workflowExecutions.nextStep })
    .from(workflowExecutions)
    // A literal status, so SQLite reads the partial index of waiting runs.
    .where(and(sql`${workflowExecutions.status} = 'waiting'`, lte(workflowExecutions.resumeAt, now)))
    .limit(sweepLimit);
  const resumes: { tenantId: string; executionId: string }[] = [];
  for (const run of due) {
    const [flipped] = await db.batch([
      db
        .update(workflowExecutions)
        .set({ status: "running", resumeAt: null })
        .where(
          and(
            eq(workflowExecutions.tenantId, run.tenantId),
            eq(workflowExecutions.id, run.id),
            eq(workflowExecutions.status, "waiting"),
          ),
        )
        .returning({ id: workflowExecutions.id }),
      db
        .update(workflowSteps)
        .set({ status: "succeeded", finishedAt: now })
        .where(
          and(
            eq(workflowSteps.tenantId, run.tenantId),
            eq(workflowSteps.executionId, run.id),
            eq(workflowSteps.index, run.nextStep - 1),
            eq(workflowSteps.status, "waiting"),
            sql`exists (select 1 from ${workflowExecutions} where ${workflowExecutions.tenantId} = ${run.tenantId} and ${workflowExecutions.id} = ${run.id} and ${workflowExecutions.status} = 'running')`,
          ),
        ),
    ]);
    if (flipped.length > 0) resumes.push({ tenantId: run.tenantId, executionId: run.id });
  }

  // Runs still running long after they started: their queue message was lost (re-queued;
  // harmless if it was not, each step is claimed once), or their worker died mid-step (the
  // step stays claimed, so the run is failed with the reason instead of hanging forever).
  const stalled = await db
    .select({ tenantId: workflowExecutions.tenantId, id: workflowExecutions.id })
    .from(workflowExecutions)
    .where(
      and(
        sql`${workflowExecutions.status} = 'running'`,
        lt(workflowExecutions.startedAt, new Date(now.getTime() - stalledRunMs)),
      ),
    )
    .limit(sweepLimit);
  const resumed = new Set(resumes.map((r) => r.executionId));
  for (const run of stalled) {
    if (resumed.has(run.id)) continue; // just queued above

    const stuck = await db
      .update(workflowSteps)
      .set({ status: "failed", finishedAt: now, error: interruptedMessage })
      .where(
        and(
          eq(workflowSteps.tenantId, run.tenantId),
          eq(workflowSteps.executionId, run.id),
          eq(workflowSteps.status, "running"),
          lt(workflowSteps.startedAt, new Date(now.getTime() - stuckStepMs)),
        ),
      )
      .returning({ index: workflowSteps.index, actionType: workflowSteps.actionType });
    if (stuck[0]) {
      await db
        .update(workflowExecutions)
        .set({
          status: "failed",
          finishedAt: now,
          error: `Step ${stuck[0].index + 1} (${stuck[0].actionType}) failed: ${interruptedMessage}`,
        })
        .where(
          and(
            eq(workflowExecutions.tenantId, run.tenantId),
            eq(workflowExecutions.id, run.id),
            eq(workflowExecutions.status, "running"),
          ),
        );
    } else resumes.push({ tenantId: run.tenantId, executionId: run.id });
  }

  const timeJobs: TimeTriggerJob[] = [];
  const schedules = await db
    .select()
    .from(workflows)
    .where(
      and(
        eq(workflows.active, true),
        isNull(workflows.deletedAt),
        sql`${workflows.nextRunAt} is not null`,
        lte(workflows.nextRunAt, now),
      ),
    )
    .limit(sweepLimit);
  for (const workflow of schedules) {
    const trigger = definitionOf(workflow).trigger;
    if (trigger.type !== "schedule" || !workflow.nextRunAt) continue;
    const next = nextCronRun(trigger.cron, trigger.timeZone, now);
    const moved = await db
      .update(workflows)
      .set({ nextRunAt: next })
      .where(
        and(
          eq(workflows.tenantId, workflow.tenantId),
          eq(workflows.id, workflow.id),
          eq(workflows.nextRunAt, workflow.nextRunAt),
        ),
      )
      .returning({ id: workflows.id });
    if (moved.length > 0) {
      timeJobs.push({
        tenantId: workflow.tenantId,
        workflowId: workflow.id,
        kind: "schedule",
        at: workflow.nextRunAt.getTime(),
      });
    }
  }

  const dated = await db
    .select()
    .from(workflows)
    .where(
      and(
        eq(workflows.active, true),
        isNull(workflows.deletedAt),
        eq(workflows.triggerType, "date.relative"),
        lt(workflows.dateCheckedAt, now),
      ),
    )
    .limit(sweepLimit);
  for (const workflow of dated) {
    if (!workflow.dateCheckedAt) continue;
    const moved = await db
      .update(workflows)
      .set({ dateCheckedAt: now })
      .where(
        and(
          eq(workflows.tenantId, workflow.tenantId),
          eq(workflows.id, workflow.id),
          eq(workflows.dateCheckedAt, workflow.dateCheckedAt),
        ),
      )
      .returning({ id: workflows.id });
    if (moved.length > 0) {
      timeJobs.push({
        tenantId: workflow.tenantId,
        workflowId: workflow.id,
        kind: "date",
        from: workflow.dateCheckedAt.getTime(),
        at: now.getTime(),
      });
    }
  }
  return { tenantIds: tenants.map((t) => t.tenantId), resumes, timeJobs };
}

/**
 * One page of a time-triggered run: the workflow's records (after `afterId`) that are due
 * (date.relative: date + offset within the window) and match the conditions get a run each,
 * once per tick and record (schedule) or per record and date value (date). Returns the runs
 * to enqueue and the job for the next page, if any.
 */
export async function createTimeTriggeredRuns(db: TenantDb, job: TimeTriggerJob, now = new Date()) {
  const workflow = await db.findFirst(workflows, and(eq(workflows.id, job.workflowId), isNull(workflows.deletedAt))!);
  if (!workflow || !workflow.active) return { executionIds: [] as string[], next: null };
  const definition = definitionOf(workflow);
  const object = definition.object as WorkflowObject;
  const trigger = definition.trigger;
  const ctx: TenantContext = {
    tenant: { id: db.tenantId },
    actor: { type: "system", id: workflow.id },
    db,
    requestId: "",
  };
  let where;
  if (trigger.type === "date.relative") {
    const day = dateFieldDaySql(object, trigger.field);
    if (!day || job.from === undefined) return { executionIds: [], next: null };
    const window = relativeDateWindow(new Date(job.from), new Date(job.at), trigger.offsetDays);
    where = between(day, window.first, window.last);
  } else if (trigger.type !== "schedule") return { executionIds: [], next: null };

  const records = await workflowRecordPage(ctx, object, { afterId: job.afterId, limit: timeTriggerPageSize, where });
  const kinds = (await conditionKinds(db))(object);
  const created = job.created ?? 0;
  const matching = records
    .filter((record) => evaluateConditions(definition.conditions, kinds, record, now))
    .slice(0, Math.max(0, maxRunsPerTimeTrigger - created));
  const rows = matching.map((record) => {
    const dedupeKey =
      trigger.type === "date.relative"
        ? `date:${record.id}:${relativeDueDay(readField(record, trigger.field), 0)}`
        : `schedule:${job.at}:${record.id}`;
    return {
      id: newId("workflowExecution"),
      workflowId: workflow.id,
      version: workflow.version,
      status: "running" as const,
      causeKind: trigger.type === "date.relative" ? ("date" as const) : ("schedule" as const),
      eventId: null,
      eventType: null,
      recordType: object,
      recordId: record.id,
      depth: 0,
      nextStep: 0,
      dedupeKey,
      startedAt: now,
      finishedAt: null,
      resumeAt: null,
      error: null,
    };
  });
  const inserts = chunk(rows, 5).map((part) =>
    db.insertQuery(workflowExecutions, part).onConflictDoNothing().returning({ id: workflowExecutions.id }),
  );
  const results = inserts.length
    ? await db.batch(inserts as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]])
    : [];
  const executionIds = (results as { id: string }[][]).flat().map((r) => r.id);
  const total = created + matching.length;
  const last = records.at(-1);
  const next =
    records.length === timeTriggerPageSize && total < maxRunsPerTimeTrigger && last
      ? { ...job, afterId: last.id, created: total }
      : null;
  return { executionIds, next };
}
