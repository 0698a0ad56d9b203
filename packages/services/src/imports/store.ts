import {
  importErrors,
  importMappings,
  type ImportPolicy,
  imports,
  newId,
  pipelines,
  pipelineStages,
  type RecordType,
} from "@crm/db";
import { ApiError } from "@crm/errors";
import { normalizeHeader } from "@crm/records";
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Actor } from "../access";
import type { TenantContext } from "../context";
import { afterCursor, orderFor, pageFromRows, parseSort } from "../lists/cursor";
import { insertManyQueries } from "../records/insert-many";

export type ImportRow = typeof imports.$inferSelect;
export type MatchKey = "email" | "domain" | "none";

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** An import as the API shows it: what was detected, how it runs, and how far it got. */
export function publicImport(row: ImportRow) {
  return {
    id: row.id,
    objectType: row.objectType,
    status: row.status,
    fileName: row.fileName,
    fileBytes: row.fileBytes,
    encoding: row.encoding,
    delimiter: row.delimiter,
    hasHeader: row.hasHeader,
    columns: row.columns,
    mapping: row.mapping,
    matchKey: row.matchKey,
    policy: row.policy,
    progress: {
      rowsDone: row.rowsDone,
      created: row.created,
      updated: row.updated,
      skipped: row.skipped,
      failed: row.failed,
      bytesDone: row.bytesDone,
      /** Share of the file read, 0–1: rows are unknown until the end, bytes are not. */
      fraction: row.status === "completed" ? 1 : row.fileBytes === 0 ? 0 : Math.min(1, row.bytesDone / row.fileBytes),
    },
    failureReason: row.failureReason,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}
export type PublicImport = ReturnType<typeof publicImport>;

export interface NewImport {
  id: string;
  objectType: RecordType;
  fileName: string | null;
  fileKey: string;
  fileBytes: number;
  encoding: ImportRow["encoding"];
  delimiter: string;
  hasHeader: boolean;
  columns: string[];
  dataStart: number;
}

export const newImportId = () => newId("import");

/** Records an uploaded file (already in the bucket) as an import waiting for its mapping. */
export async function createImport(ctx: TenantContext, input: NewImport): Promise<ImportRow> {
  return ctx.db.insert(imports, {
    ...input,
    status: "uploaded",
    createdBy: ctx.actor.id,
    bytesDone: input.dataStart,
  });
}

/** The import if it is this tenant's; 404 otherwise (another tenant's is answered the same). */
export async function findImport(ctx: TenantContext, id: string): Promise<ImportRow> {
  const row = await ctx.db.findFirst(imports, eq(imports.id, id));
  if (!row) throw new ApiError("NOT_FOUND", `Import ${id} was not found`);
  return row;
}

const importSort = parseSort(undefined, { createdAt: { column: imports.createdAt, kind: "date" } }, "-createdAt");

export async function listImports(ctx: TenantContext, page: { limit: number; cursor?: string | undefined }) {
  const rows = await ctx.db.findMany(imports, {
    where: afterCursor(importSort, imports.id, page.cursor),
    orderBy: orderFor(importSort, imports.id),
    limit: page.limit + 1,
  });
  const { rows: kept, nextCursor } = pageFromRows(rows, page.limit, importSort, (r) => r.createdAt);
  return { data: kept.map(publicImport), nextCursor };
}

/** Header → target choices this tenant made before for the object, by normalised header. */
export async function rememberedMappings(ctx: TenantContext, objectType: RecordType): Promise<Record<string, string>> {
  const rows = await ctx.db.findMany(importMappings, { where: eq(importMappings.objectType, objectType) });
  return Object.fromEntries(rows.map((r) => [r.header, r.target]));
}

export interface StartImport {
  mapping: Record<string, string>;
  matchKey: MatchKey;
  policy: ImportPolicy;
}

/**
 * Fixes the mapping, key and policy, queues the import and remembers the mapping for the
 * next upload of the object. Only an import that has not started can be started.
 */
export async function startImport(ctx: TenantContext, id: string, input: StartImport): Promise<ImportRow> {
  const row = await findImport(ctx, id);
  if (row.status !== "uploaded") throw new ApiError("CONFLICT", `Import ${id} is already ${row.status}`);
  const now = new Date();
  const remembered = Object.entries(input.mapping)
    .map(([column, target]) => ({ header: normalizeHeader(column), target }))
    .filter((m) => m.header);
  const queries: BatchItem<"sqlite">[] = [
    ctx.db
      .updateQuery(
        imports,
        {
          status: "queued",
          mapping: input.mapping,
          matchKey: input.matchKey,
          policy: input.policy,
          startedBy: ctx.actor as unknown as Record<string, unknown>,
          startedAt: now,
          updatedAt: now,
        },
        and(eq(imports.id, id), eq(imports.status, "uploaded"))!,
      )
      .returning(),
  ];
  // 5 bound values a row plus the update's timestamp: 19 rows keep a statement under D1's 100.
  for (const part of chunkOf(remembered, 19)) {
    queries.push(
      ctx.db
        .insertQuery(
          importMappings,
          part.map((m) => ({ objectType: row.objectType, header: m.header, target: m.target, updatedAt: now })),
        )
        .onConflictDoUpdate({
          target: [importMappings.tenantId, importMappings.objectType, importMappings.header],
          set: { target: sql`excluded.target`, updatedAt: now },
        }),
    );
  }
  const [updated] = (await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]])) as [ImportRow[]];
  if (!updated[0]) throw new ApiError("CONFLICT", `Import ${id} was started by another request`);
  return updated[0];
}

function chunkOf<T>(items: T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

/** Stops an import that has not finished: chunks not yet written are not written. */
export async function cancelImport(ctx: TenantContext, id: string): Promise<ImportRow> {
  const row = await findImport(ctx, id);
  if (!["uploaded", "queued", "running"].includes(row.status)) {
    throw new ApiError("CONFLICT", `Import ${id} is already ${row.status}`);
  }
  const now = new Date();
  const [updated] = await ctx.db.update(
    imports,
    { status: "cancelled", finishedAt: now, updatedAt: now },
    and(eq(imports.id, id), inArray(imports.status, ["uploaded", "queued", "running"]))!,
  );
  if (!updated) return findImport(ctx, id);
  return updated;
}

/** A page of an import's row errors in row order, for the error report. */
export async function importErrorsAfter(ctx: TenantContext, importId: string, afterRow: number, limit: number) {
  return ctx.db.findMany(importErrors, {
    where: and(eq(importErrors.importId, importId), gt(importErrors.rowNumber, afterRow)),
    orderBy: [asc(importErrors.rowNumber)],
    limit,
  });
}

/** Error rows as statements: many per statement, within D1's parameter limit. */
export function importErrorQueries(
  ctx: TenantContext,
  importId: string,
  errors: { rowNumber: number; column: string | null; value: string | null; message: string }[],
): BatchItem<"sqlite">[] {
  return insertManyQueries(
    ctx.db,
    importErrors,
    errors.map((e) => ({ importId, ...e })),
  );
}

export interface PipelineWithStages {
  id: string;
  name: string;
  stages: { id: string; name: string }[];
}

/** The tenant's pipelines in order with their stages in order: deals are imported by these names. */
export async function pipelinesWithStages(ctx: TenantContext): Promise<PipelineWithStages[]> {
  const [pipelineRows, stageRows] = await Promise.all([
    ctx.db.findMany(pipelines, { orderBy: [asc(pipelines.position), asc(pipelines.id)] }),
    ctx.db.findMany(pipelineStages, { orderBy: [asc(pipelineStages.position), asc(pipelineStages.id)] }),
  ]);
  return pipelineRows.map((p) => ({
    id: p.id,
    name: p.name,
    stages: stageRows.filter((s) => s.pipelineId === p.id).map((s) => ({ id: s.id, name: s.name })),
  }));
}

/** The actor an import was started by, for its queued chunks. */
export function importActor(row: ImportRow): Actor | null {
  return (row.startedBy as unknown as Actor | null) ?? null;
}
