import type { RecordType } from "@crm/db";
import { ApiError, type FieldError } from "@crm/errors";
import { type ImportField, importFieldsWithCustom } from "@crm/records";
import {
  customFieldDefinitionsFor,
  dryRunImportRows,
  type ImportRow,
  type MatchKey,
  pipelinesWithStages,
  publicImport,
  type TenantContext,
} from "@crm/services";
import { readChunk } from "./csv";
import { importObjects } from "./objects";
import { prepareRow } from "./rows";

/** Rows the upload and the preview show. */
export const previewRowCount = 10;

/** What the object's columns can be mapped to: standard fields, then the tenant's custom fields. */
export async function importFieldsFor(ctx: TenantContext, objectType: RecordType) {
  const definitions = await customFieldDefinitionsFor(ctx, objectType);
  return { fields: importFieldsWithCustom(importObjects[objectType].fields, definitions), definitions };
}

export function defaultMatchKey(objectType: RecordType): MatchKey {
  return importObjects[objectType].matchKey ?? "none";
}

/**
 * Checks a mapping and match key against the import's columns and the object's fields; a
 * 422 names every column at fault (`body.mapping.<column>`). Unmapped columns are dropped.
 */
export function checkMapping(
  job: ImportRow,
  fields: ImportField[],
  mapping: Record<string, string | null>,
  matchKey: MatchKey | undefined,
): { mapping: Record<string, string>; matchKey: MatchKey } {
  const errors: FieldError[] = [];
  const targets = new Set(fields.map((f) => f.target));
  const columns = new Set(job.columns);
  const used = new Map<string, string>();
  const kept: Record<string, string> = {};
  for (const [column, target] of Object.entries(mapping)) {
    const path = `body.mapping.${column}`;
    if (!columns.has(column)) errors.push({ path, message: "The file has no column with this name" });
    if (!target) continue;
    if (!targets.has(target)) {
      errors.push({ path, message: `Not a field of ${importObjects[job.objectType].plural}: ${target}` });
      continue;
    }
    const other = used.get(target);
    if (other) errors.push({ path, message: `Column ${other} is already mapped to ${target}` });
    used.set(target, column);
    kept[column] = target;
  }
  if (Object.keys(kept).length === 0 && errors.length === 0)
    errors.push({ path: "body.mapping", message: "Map at least one column to a field" });
  const allowed = defaultMatchKey(job.objectType);
  // Unasked, the object's key is used when a column is mapped to it, else every row creates.
  const key = matchKey ?? (Object.values(kept).includes(allowed) ? allowed : "none");
  if (key !== "none" && key !== allowed) {
    errors.push({
      path: "body.matchKey",
      message: allowed === "none" ? "Only `none`: these records have no unique key" : `Only \`${allowed}\` or \`none\``,
    });
  } else if (key !== "none" && !Object.values(kept).includes(key)) {
    errors.push({ path: "body.matchKey", message: `Map a column to ${key} to match on it` });
  }
  if (errors.length > 0) throw new ApiError("VALIDATION_FAILED", "The mapping cannot be used", { errors });
  return { mapping: kept, matchKey: key };
}

/**
 * The first rows of the file under a mapping, each with what starting the import would do
 * to it (create, update, skip) or its errors: the same parsing, validation and lookups as
 * the import itself, without writing.
 */
export async function previewImport(
  ctx: TenantContext,
  bucket: R2Bucket,
  job: ImportRow,
  mapping: Record<string, string | null>,
  matchKey: MatchKey,
) {
  const { fields, definitions } = await importFieldsFor(ctx, job.objectType);
  const { records } = await readChunk(bucket, job.fileKey, job, job.dataStart, job.fileBytes, previewRowCount);
  const shape = {
    object: importObjects[job.objectType],
    columns: job.columns,
    mapping: Object.fromEntries(Object.entries(mapping).filter((e): e is [string, string] => !!e[1])),
    definitions,
    pipelines: job.objectType === "deal" ? await pipelinesWithStages(ctx) : [],
  };
  const firstRow = job.hasHeader ? 2 : 1;
  const rows = records.map((cells, i) => prepareRow(shape, cells, firstRow + i));
  const results = await dryRunImportRows(ctx, job, matchKey, rows);
  const outcomes = { created: "create", updated: "update", skipped: "skip" } as const;
  return {
    import: publicImport(job),
    fields: fields.map((f) => ({ target: f.target, label: f.label })),
    mapping: Object.fromEntries(job.columns.map((column) => [column, mapping[column] ?? null])),
    matchKey,
    preview: results.map((result, i) => ({
      rowNumber: result.rowNumber,
      cells: Object.fromEntries(job.columns.map((column, c) => [column, records[i]![c] ?? ""])),
      outcome: result.outcome ? outcomes[result.outcome] : null,
      errors: result.problems,
    })),
  };
}
