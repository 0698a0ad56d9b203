import {
  activities,
  auditLog,
  contactLifecycleHistory,
  dealStageHistory,
  leadStageHistory,
  notes,
  tasks,
} from "@crm/db";
import type { BatchItem } from "drizzle-orm/batch";
import { and, desc, eq, inArray, isNotNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { TenantContext } from "../context";
import { outreachSources } from "./outreach-sources";
import { recordLabel } from "./parent-record";
import type { TimelineItem, TimelineItemType, TimelineRecordType } from "./timeline";

export interface Position {
  at: Date;
  id: string;
}

/** One source of items: a query for the next rows after the cursor, and how its rows read. */
export interface Source {
  types: TimelineItemType[];
  query: BatchItem<"sqlite">;
  items(rows: unknown[]): (TimelineItem & { at: number })[];
}

const summaryLength = 140;

export const clip = (text: string) => (text.length > summaryLength ? `${text.slice(0, summaryLength - 1)}…` : text);

/** Rows strictly older than the cursor in (time, id) order, newest first. */
export function olderThan(at: SQLiteColumn, id: SQLiteColumn | SQL, position: Position | undefined): SQL | undefined {
  if (!position) return undefined;
  return or(lt(at, position.at), and(eq(at, position.at), sql`${id} < ${position.id}`));
}

export function item(
  type: TimelineItemType,
  id: string,
  at: Date,
  actorId: string | null,
  summary: string,
  data: Record<string, unknown>,
) {
  return { id, type, occurredAt: at.toISOString(), at: at.getTime(), actorId, summary, data };
}

/** Every source of a record's timeline, each query already past the cursor and cut at `take` rows. */
export function sourcesFor(
  ctx: TenantContext,
  recordType: TimelineRecordType,
  recordId: string,
  position: Position | undefined,
  take: number,
  wanted: Set<TimelineItemType> | null,
): Source[] {
  const select = ctx.db.selectQuery.bind(ctx.db);
  const label = recordLabel(recordType);
  const completedId = sql`(${tasks.id} || ':completed')`;
  const taskOnRecord = and(eq(tasks.recordType, recordType), eq(tasks.recordId, recordId));
  // The audit source yields two item types: filter in SQL so `limit + 1` rows are all wanted ones.
  const auditActions = (["create", "update"] as const).filter(
    (a) => !wanted || wanted.has(a === "create" ? "record_created" : "record_updated"),
  );
  const sources: Source[] = [
    {
      types: ["note"],
      query: select(notes, {
        where: and(
          eq(notes.recordType, recordType),
          eq(notes.recordId, recordId),
          olderThan(notes.createdAt, notes.id, position),
        ),
        orderBy: [desc(notes.createdAt), desc(notes.id)],
        limit: take,
      }),
      items: (rows) =>
        (rows as (typeof notes.$inferSelect)[]).map((n) =>
          item("note", n.id, n.createdAt, n.authorId, clip(n.body), { noteId: n.id, body: n.body }),
        ),
    },
    {
      types: ["activity"],
      query: select(activities, {
        where: and(
          eq(activities.recordType, recordType),
          eq(activities.recordId, recordId),
          olderThan(activities.occurredAt, activities.id, position),
        ),
        orderBy: [desc(activities.occurredAt), desc(activities.id)],
        limit: take,
      }),
      items: (rows) =>
        (rows as (typeof activities.$inferSelect)[]).map((a) =>
          item(
            "activity",
            a.id,
            a.occurredAt,
            a.actorId,
            clip(`${a.type.charAt(0).toUpperCase()}${a.type.slice(1)}: ${a.subject}`),
            {
              activityId: a.id,
              activityType: a.type,
              subject: a.subject,
              body: a.body ?? null,
              durationMinutes: a.durationMinutes ?? null,
              outcome: a.outcome ?? null,
            },
          ),
        ),
    },
    {
      types: ["task_created"],
      query: select(tasks, {
        where: and(taskOnRecord, olderThan(tasks.createdAt, tasks.id, position)),
        orderBy: [desc(tasks.createdAt), desc(tasks.id)],
        limit: take,
      }),
      items: (rows) =>
        (rows as (typeof tasks.$inferSelect)[]).map((t) =>
          item("task_created", t.id, t.createdAt, t.ownerId ?? null, clip(`Task created: ${t.title}`), {
            taskId: t.id,
            title: t.title,
            status: t.status,
            priority: t.priority,
            dueAt: t.dueAt?.toISOString() ?? null,
            assigneeId: t.assigneeId ?? null,
          }),
        ),
    },
    {
      types: ["task_completed"],
      query: select(tasks, {
        where: and(
          taskOnRecord,
          eq(tasks.status, "done"),
          isNotNull(tasks.completedAt),
          olderThan(tasks.completedAt, completedId, position),
        ),
        orderBy: [desc(tasks.completedAt), desc(completedId)],
        limit: take,
      }),
      items: (rows) =>
        (rows as (typeof tasks.$inferSelect)[]).map((t) =>
          item("task_completed", `${t.id}:completed`, t.completedAt!, null, clip(`Task completed: ${t.title}`), {
            taskId: t.id,
            title: t.title,
            assigneeId: t.assigneeId ?? null,
          }),
        ),
    },
    {
      types: ["record_created", "record_updated"],
      query: select(auditLog, {
        where: and(
          eq(auditLog.entity, recordType),
          eq(auditLog.entityId, recordId),
          inArray(auditLog.action, auditActions),
          olderThan(auditLog.createdAt, auditLog.id, position),
        ),
        orderBy: [desc(auditLog.createdAt), desc(auditLog.id)],
        limit: take,
      }),
      items: (rows) =>
        (rows as (typeof auditLog.$inferSelect)[]).map((e) => {
          const changed = Object.keys(e.after ?? {}).filter((k) => k !== "updatedAt");
          return e.action === "create"
            ? item("record_created", e.id, e.createdAt, e.actorId, `${label} created`, {
                via: e.via,
                after: e.after ?? null,
              })
            : item(
                "record_updated",
                e.id,
                e.createdAt,
                e.actorId,
                clip(`Updated ${changed.join(", ") || label.toLowerCase()}`),
                {
                  via: e.via,
                  before: e.before ?? null,
                  after: e.after ?? null,
                },
              );
        }),
    },
  ];
  if (recordType === "contact") {
    sources.push(...outreachSources(ctx, recordId, position, take));
    const h = contactLifecycleHistory;
    sources.push({
      types: ["stage_change"],
      query: select(h, {
        where: and(eq(h.contactId, recordId), olderThan(h.changedAt, h.id, position)),
        orderBy: [desc(h.changedAt), desc(h.id)],
        limit: take,
      }),
      items: (rows) =>
        (rows as (typeof h.$inferSelect)[]).map((r) =>
          item(
            "stage_change",
            r.id,
            r.changedAt,
            r.changedBy,
            `Lifecycle stage: ${r.fromStage ? `${r.fromStage} → ` : ""}${r.toStage}`,
            {
              field: "lifecycleStage",
              from: r.fromStage ?? null,
              to: r.toStage,
            },
          ),
        ),
    });
  } else if (recordType === "lead") {
    const h = leadStageHistory;
    sources.push({
      types: ["stage_change"],
      query: select(h, {
        where: and(eq(h.leadId, recordId), olderThan(h.changedAt, h.id, position)),
        orderBy: [desc(h.changedAt), desc(h.id)],
        limit: take,
      }),
      items: (rows) =>
        (rows as (typeof h.$inferSelect)[]).map((r) =>
          item(
            "stage_change",
            r.id,
            r.changedAt,
            r.changedBy,
            clip(`Stage: ${r.fromStage ? `${r.fromStage} → ` : ""}${r.toStage}${r.reason ? ` (${r.reason})` : ""}`),
            { field: "stage", from: r.fromStage ?? null, to: r.toStage, reason: r.reason ?? null },
          ),
        ),
    });
  } else if (recordType === "deal") {
    const h = dealStageHistory;
    sources.push({
      types: ["stage_change"],
      query: select(h, {
        where: and(eq(h.dealId, recordId), olderThan(h.enteredAt, h.id, position)),
        orderBy: [desc(h.enteredAt), desc(h.id)],
        limit: take,
      }),
      // The stage's name is filled in after the merge (one lookup for the page).
      items: (rows) =>
        (rows as (typeof h.$inferSelect)[]).map((r) =>
          item("stage_change", r.id, r.enteredAt, r.changedBy, "Moved to a stage", {
            field: "stage",
            pipelineId: r.pipelineId,
            stageId: r.stageId,
            stageName: null,
            leftAt: r.leftAt?.toISOString() ?? null,
          }),
        ),
    });
  }
  return sources;
}
