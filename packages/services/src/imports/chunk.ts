import { BulkWriteDb, importChunks, imports, type TenantDb } from "@crm/db";
import { ApiError } from "@crm/errors";
import type { BatchItem } from "drizzle-orm/batch";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import { CreatedRows } from "../records/created-rows";
import { type CustomFieldDefinitionRow, customFieldDefinitionsQuery } from "../records/custom-fields";
import { plannerFor, rowPrefix, type RowOutcome } from "./planners";
import { importErrorQueries, type ImportRow, type MatchKey } from "./store";

/** A problem with one row, as the error report shows it. */
export interface RowProblem {
  column: string | null;
  value: string | null;
  message: string;
}

/** One CSV record, turned by the API layer into the object's create body (or found wanting already). */
export interface ChunkRow {
  /** 1-based, counting the header: the row a spreadsheet shows. */
  rowNumber: number;
  body: Record<string, unknown> | null;
  problems: RowProblem[];
  /** The column and cell behind a body path (`emails.0.address` → the Email column). */
  locate(path: string): { column: string | null; value: string | null };
}

/** A problem at a body path placed on its column; a path no column fed (a required custom field) is named. */
export function locatedProblem(row: Pick<ChunkRow, "locate">, path: string, message: string): RowProblem {
  const { column, value } = row.locate(path);
  return { column, value, message: column || !path ? message : `${path}: ${message}` };
}

export interface ChunkInput {
  chunkIndex: number;
  /** Byte offset just after the chunk's last record. */
  endByte: number;
  rows: ChunkRow[];
  /** No rows after these. */
  last: boolean;
}

export interface ChunkResult {
  /** The import reached an end with this chunk (completed, or stopped at an error). */
  finished: boolean;
  import: ImportRow | null;
}

function problemsOf(error: ApiError, row: ChunkRow): RowProblem[] {
  const located = (error.errors ?? []).map((e) =>
    locatedProblem(row, e.path.startsWith(`${rowPrefix}.`) ? e.path.slice(rowPrefix.length + 1) : e.path, e.message),
  );
  return located.length > 0 ? located : [{ column: null, value: null, message: error.message }];
}

export type ImportChunkRow = typeof importChunks.$inferSelect;

/** What a chunk reads before its rows (readChunkSetup). */
export interface ChunkSetup {
  job: ImportRow | null;
  /** The chunk's marker when it was written already (a redelivery). */
  written: ImportChunkRow | null;
  definitions: CustomFieldDefinitionRow[];
}

/**
 * The import, the chunk's marker and the import object's custom field definitions in one
 * D1 batch: one round trip where three separate reads were (each ~5-15 ms here, per chunk).
 * The definitions are read for the object the import row names, in the same statement batch.
 */
export async function readChunkSetup(db: TenantDb, importId: string, chunkIndex: number): Promise<ChunkSetup> {
  const [jobs, markers, definitions] = await db.batch([
    db.selectQuery(imports, { where: eq(imports.id, importId), limit: 1 }),
    db.selectQuery(importChunks, {
      where: and(eq(importChunks.importId, importId), eq(importChunks.chunkIndex, chunkIndex)),
      limit: 1,
    }),
    customFieldDefinitionsQuery(
      db,
      sql`(${db.scopedSelectIds(imports, imports.objectType, eq(imports.id, importId))})`,
    ),
  ]);
  return {
    job: (jobs as ImportRow[])[0] ?? null,
    written: (markers as ImportChunkRow[])[0] ?? null,
    definitions: definitions as CustomFieldDefinitionRow[],
  };
}

/**
 * Writes one chunk of an import in one D1 batch: the chunk's marker first (a plain insert
 * on (import, chunk): a second delivery fails on it and its whole batch rolls back; the
 * caller has looked for the marker already, with readChunkSetup, and writes nothing when
 * it is there), then
 * every row's statements through the objects' own save queries, the row errors, and the
 * counters. Under stop-at-first-error the rows before the first bad row are written and
 * the import ends `failed` there.
 */
export async function writeImportChunk(ctx: TenantContext, job: ImportRow, input: ChunkInput): Promise<ChunkResult> {
  const planner = await plannerFor(
    ctx,
    job.objectType,
    job.matchKey ?? "none",
    input.rows.flatMap((r) => (r.body ? [r.body] : [])),
  );
  const counts: Record<RowOutcome | "failed", number> = { created: 0, updated: 0, skipped: 0, failed: 0 };
  const rowQueries: BatchItem<"sqlite">[] = [];
  // New records' statements wait here to be merged (BulkWriteDb); anything else first flushes them, keeping order.
  let creates: BatchItem<"sqlite">[][] = [];
  const bulk = ctx.db instanceof BulkWriteDb ? ctx.db : null;
  // Planners that can add new records' rows here directly (no statements per row to merge);
  // a context that announces record changes needs each record's own statements (its events).
  const created = bulk && ctx.announceRecordChanges === false ? new CreatedRows() : undefined;
  const flushCreates = () => {
    if (created && !created.empty) rowQueries.push(...created.takeQueries(ctx.db));
    if (bulk && creates.length > 0) rowQueries.push(...bulk.mergedCreates(creates));
    creates = [];
  };
  const errors: (RowProblem & { rowNumber: number })[] = [];
  let rowsDone = 0;
  let stoppedAt: number | null = null;
  const now = new Date();
  for (const row of input.rows) {
    rowsDone += 1;
    let problems = row.problems;
    if (problems.length === 0 && row.body) {
      try {
        const planned = await planner.plan(row.body, now, created);
        counts[planned.outcome] += 1;
        if (planned.queries.length === 0) continue;
        if (bulk && planned.outcome === "created" && bulk.mergeable(planned.queries)) {
          creates.push(planned.queries);
        } else {
          flushCreates();
          rowQueries.push(...planned.queries);
        }
        continue;
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error;
        problems = problemsOf(error, row);
      }
    }
    counts.failed += 1;
    errors.push(...problems.map((p) => ({ rowNumber: row.rowNumber, ...p })));
    if (job.policy === "stop_at_first_error") {
      stoppedAt = row.rowNumber;
      break;
    }
  }

  flushCreates();
  const finished = stoppedAt !== null || input.last;
  const endStatus = stoppedAt !== null ? "failed" : input.last ? "completed" : "running";
  const stillActive = sql`${imports.status} in ('queued', 'running')`;
  const progress = ctx.db
    .updateQuery(
      imports,
      {
        rowsDone: sql`${imports.rowsDone} + ${rowsDone}`,
        created: sql`${imports.created} + ${counts.created}`,
        updated: sql`${imports.updated} + ${counts.updated}`,
        skipped: sql`${imports.skipped} + ${counts.skipped}`,
        failed: sql`${imports.failed} + ${counts.failed}`,
        bytesDone: input.endByte,
        // A cancel that landed meanwhile stands; otherwise the chunk moves the status on.
        status: sql`case when ${stillActive} then ${endStatus} else ${imports.status} end`,
        failureReason:
          stoppedAt !== null
            ? sql`case when ${stillActive} then ${`Stopped at row ${stoppedAt}: the policy is stop at the first error`} else ${imports.failureReason} end`
            : sql`${imports.failureReason}`,
        finishedAt: finished
          ? sql`case when ${stillActive} then ${now.getTime()} else ${imports.finishedAt} end`
          : sql`${imports.finishedAt}`,
        updatedAt: now,
      },
      eq(imports.id, job.id),
    )
    .returning();
  const queries: BatchItem<"sqlite">[] = [
    ctx.db.insertQuery(importChunks, {
      importId: job.id,
      chunkIndex: input.chunkIndex,
      rows: rowsDone,
      endByte: input.endByte,
    }),
    ...rowQueries,
    ...importErrorQueries(ctx, job.id, errors),
    progress,
  ];
  const results = await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  const [updated] = results[results.length - 1] as ImportRow[];
  return { finished, import: updated ?? null };
}

/** Marks an import failed for a reason outside any row (a file that cannot be parsed). */
export async function failImport(ctx: TenantContext, id: string, reason: string): Promise<void> {
  const now = new Date();
  await ctx.db.update(
    imports,
    { status: "failed", failureReason: reason, finishedAt: now, updatedAt: now },
    and(eq(imports.id, id), inArray(imports.status, ["queued", "running"]))!,
  );
}

/**
 * What writing these rows would do, without writing anything: the same checks, lookups
 * and create-or-update decisions as writeImportChunk (for the preview before starting).
 */
export async function dryRunImportRows(
  ctx: TenantContext,
  job: Pick<ImportRow, "objectType">,
  matchKey: MatchKey,
  rows: ChunkRow[],
): Promise<{ rowNumber: number; outcome: RowOutcome | null; problems: RowProblem[] }[]> {
  const planner = await plannerFor(
    ctx,
    job.objectType,
    matchKey,
    rows.flatMap((r) => (r.body ? [r.body] : [])),
  );
  const now = new Date();
  const results = [];
  for (const row of rows) {
    let problems = row.problems;
    let outcome: RowOutcome | null = null;
    if (problems.length === 0 && row.body) {
      try {
        outcome = (await planner.plan(row.body, now)).outcome;
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error;
        problems = problemsOf(error, row);
      }
    }
    results.push({ rowNumber: row.rowNumber, outcome, problems });
  }
  return results;
}
