import { domainEvents, newId, type TenantDb, workflowExecutions, workflows } from "@crm/db";
import { eventMatchesTrigger, eventTriggerTypes, evaluateConditions, type WorkflowObject } from "@crm/workflows";
import type { BatchItem } from "drizzle-orm/batch";
import { and, asc, eq, gt, inArray, isNull, lt, ne } from "drizzle-orm";
import { chunk } from "../records/insert-many";
import { conditionKinds } from "./kinds";
import { depthMessage, maxChainDepth, maxRunsPerRecordPerHour, rateMessage } from "./loop-protection";
import { definitionOf } from "./workflows";

type EventRow = typeof domainEvents.$inferSelect;
type NewExecution = Omit<typeof workflowExecutions.$inferInsert, "tenantId">;

/** Events matched per dispatcher run; a fuller outbox gets another run. */
export const workflowDispatchBatchSize = 100;

/**
 * Takes this tenant's events no workflow run has looked at, matches them against its active
 * event-triggered workflows (trigger, then conditions on the event's record) and creates
 * the runs, applying loop protection; then stamps the events, all in one batch. Running
 * twice is harmless: a run is unique per (workflow, event), and only the run that inserted
 * it returns its id to enqueue.
 */
export async function dispatchWorkflowEvents(db: TenantDb, now = new Date()) {
  const active = await db.findMany(workflows, {
    where: and(
      eq(workflows.active, true),
      isNull(workflows.deletedAt),
      inArray(workflows.triggerType, [...eventTriggerTypes]),
    ),
  });
  // Events from before every active workflow was switched on start nothing: one statement.
  const oldest = active.reduce((min, w) => (w.activatedAt && w.activatedAt < min ? w.activatedAt : min), now);
  const [, pending] = await db.batch([
    db.updateQuery(
      domainEvents,
      { workflowsAt: now },
      and(isNull(domainEvents.workflowsAt), lt(domainEvents.createdAt, oldest))!,
    ),
    db.selectQuery(domainEvents, {
      where: isNull(domainEvents.workflowsAt),
      orderBy: asc(domainEvents.id),
      limit: workflowDispatchBatchSize,
    }),
  ]);
  const events = pending as EventRow[];
  if (events.length === 0) return { executionIds: [] as string[], more: false };

  const kinds = await conditionKinds(db);
  const recentRuns = new Map<string, number>();
  const runsInLastHour = async (workflowId: string, recordId: string) => {
    const key = `${workflowId}:${recordId}`;
    let count = recentRuns.get(key);
    if (count === undefined) {
      count = await db.count(
        workflowExecutions,
        and(
          eq(workflowExecutions.workflowId, workflowId),
          eq(workflowExecutions.recordId, recordId),
          gt(workflowExecutions.startedAt, new Date(now.getTime() - 3600_000)),
          ne(workflowExecutions.status, "skipped"),
        )!,
      );
    }
    return count;
  };

  // Parsed once per workflow, not once per event.
  const definitions = new Map(active.map((w) => [w.id, definitionOf(w)]));
  const executions: NewExecution[] = [];
  for (const event of events) {
    for (const workflow of active) {
      if (!workflow.activatedAt || workflow.activatedAt > event.createdAt) continue;
      // Rule 1: a workflow's own writes are not triggers for it.
      if (event.actorType === "system" && event.actorId === workflow.id) continue;
      const definition = definitions.get(workflow.id)!;
      if (!eventMatchesTrigger(definition.trigger, definition.object, event)) continue;
      const object = definition.object as WorkflowObject;
      if (!evaluateConditions(definition.conditions, kinds(object, definition.trigger.type), event.data, now)) continue;
      let error: string | null = null;
      if (event.depth >= maxChainDepth) error = depthMessage;
      else if ((await runsInLastHour(workflow.id, event.entityId)) >= maxRunsPerRecordPerHour) error = rateMessage;
      else recentRuns.set(`${workflow.id}:${event.entityId}`, (await runsInLastHour(workflow.id, event.entityId)) + 1);
      executions.push({
        id: newId("workflowExecution"),
        workflowId: workflow.id,
        version: workflow.version,
        status: error ? "skipped" : "running",
        causeKind: "event",
        eventId: event.id,
        eventType: event.type,
        recordType: object,
        recordId: event.entityId,
        depth: event.depth,
        nextStep: 0,
        dedupeKey: `event:${event.id}`,
        startedAt: now,
        finishedAt: error ? now : null,
        resumeAt: null,
        error,
      });
    }
  }
  const inserts = chunk(executions, 5).map((rows) =>
    db
      .insertQuery(workflowExecutions, rows)
      .onConflictDoNothing()
      .returning({ id: workflowExecutions.id, status: workflowExecutions.status }),
  );
  const stamps = chunk(
    events.map((e) => e.id),
    90,
  ).map((ids) =>
    db.updateQuery(
      domainEvents,
      { workflowsAt: now },
      and(inArray(domainEvents.id, ids), isNull(domainEvents.workflowsAt))!,
    ),
  );
  const results = await db.batch([...inserts, ...stamps] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  const created = (results.slice(0, inserts.length) as { id: string; status: string }[][]).flat();
  return {
    executionIds: created.filter((r) => r.status === "running").map((r) => r.id),
    more: events.length === workflowDispatchBatchSize,
  };
}
