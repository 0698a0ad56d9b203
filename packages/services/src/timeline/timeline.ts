import { pipelineStages } from "@crm/db";
import { ApiError } from "@crm/errors";
import type { BatchItem } from "drizzle-orm/batch";
import { sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import { decodeCursor, encodeCursor } from "../lists/cursor";
import { requireVisibleParent } from "./parent-record";
import { clip, type Position, sourcesFor } from "./sources";

export const timelineRecordTypes = ["contact", "company", "deal", "lead"] as const;
export type TimelineRecordType = (typeof timelineRecordTypes)[number];

export const timelineItemTypes = [
  "note",
  "activity",
  "task_created",
  "task_completed",
  "stage_change",
  "record_created",
  "record_updated",
  "email_sent",
  "email_reply",
  "email_bounced",
] as const;
export type TimelineItemType = (typeof timelineItemTypes)[number];

export interface TimelineItem {
  id: string;
  type: TimelineItemType;
  occurredAt: string;
  /** Who did it (user or API key id); null when the source does not record it. */
  actorId: string | null;
  summary: string;
  data: Record<string, unknown>;
}

const cursorKey = "timeline";

/** Names deal stages on the page ("Moved to Proposal Sent"); a deleted stage keeps the generic summary. */
async function nameDealStages(ctx: TenantContext, items: TimelineItem[]) {
  const stageItems = items.filter((i) => i.type === "stage_change" && typeof i.data.stageId === "string");
  if (stageItems.length === 0) return;
  const ids = [...new Set(stageItems.map((i) => i.data.stageId as string))];
  const stages = await ctx.db.findMany(pipelineStages, {
    where: sql`${pipelineStages.id} in (select value from json_each(${JSON.stringify(ids)}))`,
  });
  const names = new Map(stages.map((s) => [s.id, s.name]));
  for (const entry of stageItems) {
    const name = names.get(entry.data.stageId as string);
    if (!name) continue;
    entry.data.stageName = name;
    entry.summary = clip(`Moved to ${name}`);
  }
}

/**
 * A record's timeline: notes, activities, its tasks (created and completed), stage changes
 * and its audit entries, newest first. Keyset pagination over (time, id) across sources:
 * each source returns up to limit+1 rows after the cursor, the merge keeps the newest
 * `limit`, and the last one kept is the next cursor, so page 2 continues exactly.
 */
export async function recordTimeline(
  ctx: TenantContext,
  recordType: TimelineRecordType,
  recordId: string,
  page: { limit: number; cursor?: string | undefined; types?: TimelineItemType[] | undefined },
) {
  await requireVisibleParent(ctx, recordType, recordId);
  let position: Position | undefined;
  if (page.cursor) {
    const { value, id } = decodeCursor(page.cursor, cursorKey);
    if (typeof value !== "number") {
      throw new ApiError("VALIDATION_FAILED", "The cursor is invalid", {
        errors: [{ path: "query.cursor", message: "Pass the nextCursor of a timeline page" }],
      });
    }
    position = { at: new Date(value), id };
  }
  const wanted = page.types && page.types.length > 0 ? new Set(page.types) : null;
  const sources = sourcesFor(ctx, recordType, recordId, position, page.limit + 1, wanted).filter(
    (s) => !wanted || s.types.some((t) => wanted.has(t)),
  );
  // No source can hold the wanted types (e.g. stage changes on a company): an empty page.
  if (sources.length === 0) return { data: [], nextCursor: null };
  const results = (await ctx.db.batch(
    sources.map((s) => s.query) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]],
  )) as unknown[][];
  const merged = sources
    .flatMap((source, i) => source.items(results[i] ?? []))
    .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const kept = merged.slice(0, page.limit);
  const last = kept.at(-1);
  const nextCursor = merged.length > page.limit && last ? encodeCursor(cursorKey, last.at, last.id) : null;
  const data: TimelineItem[] = kept.map(({ at: _at, ...rest }) => rest);
  if (recordType === "deal") await nameDealStages(ctx, data);
  return { data, nextCursor };
}
