import { domainEvents, newId } from "@crm/db";
import type { BatchItem } from "drizzle-orm/batch";
import { type AuditChange, auditManyQueries, diffSnapshots } from "../audit";
import type { TenantContext } from "../context";
import { insertManyQueries } from "../records/insert-many";
import { type DomainEventType, isEventRecordType } from "./types";

export interface DomainEvent {
  type: DomainEventType;
  entity: string;
  entityId: string;
  data: Record<string, unknown>;
  previous: Record<string, unknown> | null;
}

const pastTense = { create: "created", update: "updated", delete: "deleted" } as const;

/**
 * The domain events one recorded change stands for: `<record>.created|updated|deleted` for
 * the core records, and the transitions people subscribe to (a deal changing stage, being
 * won or lost; a lead being converted). Pure: derived from the same before/after snapshots
 * the audit log gets.
 */
export function domainEventsFor(change: AuditChange): DomainEvent[] {
  if (!isEventRecordType(change.entity)) return [];
  const data = change.after ?? change.before;
  if (!data) return [];
  const before = change.before ?? null;
  const after = change.after ?? null;
  const previous = change.action === "update" ? diffSnapshots(before, after).before : null;
  const base = { entity: change.entity, entityId: change.entityId, data };
  const events: DomainEvent[] = [
    { ...base, type: `${change.entity}.${pastTense[change.action]}` as DomainEventType, previous },
  ];
  if (change.entity === "deal" && after) {
    if (before && before.stageId !== after.stageId) {
      events.push({
        ...base,
        type: "deal.stage_changed",
        previous: { pipelineId: before.pipelineId, stageId: before.stageId },
      });
    }
    for (const outcome of ["won", "lost"] as const) {
      if (after.status === outcome && before?.status !== outcome) {
        events.push({ ...base, type: `deal.${outcome}`, previous: before ? { status: before.status } : null });
      }
    }
  }
  if (change.entity === "lead" && after?.convertedAt && !before?.convertedAt) {
    events.push({ ...base, type: "lead.converted", previous: null });
  }
  return events;
}

/**
 * The one place core record changes are recorded: the audit entries and, in the same D1
 * batch, the domain events they imply (the outbox: an event exists exactly when its change
 * committed). Webhook deliveries and workflow runs are both started from these rows, each
 * with its own progress marker. Bulk writes pass one change per record: one event each.
 * A context with `announceRecordChanges: false` (an import) records the audit entries only.
 */
export function recordChangeQueries(ctx: TenantContext, changes: AuditChange[]): BatchItem<"sqlite">[] {
  if (ctx.announceRecordChanges === false) return auditManyQueries(ctx, changes);
  return [...auditManyQueries(ctx, changes), ...domainEventQueries(ctx, changes.flatMap(domainEventsFor))];
}

/** Statements that put events into the outbox; for events that are not a record change (an import ending). */
export function domainEventQueries(ctx: TenantContext, recorded: DomainEvent[]): BatchItem<"sqlite">[] {
  const events = domainEventRows(ctx, recorded);
  if (events.length > 0) ctx.onEventsRecorded?.();
  return insertManyQueries(ctx.db, domainEvents, events);
}

function domainEventRows(ctx: TenantContext, recorded: DomainEvent[]) {
  const now = new Date();
  return recorded.map((event) => ({
    id: newId("domainEvent"),
    ...event,
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    requestId: ctx.requestId,
    createdAt: now,
    dispatchedAt: null,
    workflowsAt: null,
    depth: ctx.eventDepth ?? 0,
  }));
}
