import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, json, tenantIdColumn, timestamp, updatedAt } from "./columns";
import { recordTypes } from "./crm";

export const importStatuses = ["uploaded", "queued", "running", "completed", "failed", "cancelled"] as const;
export type ImportStatus = (typeof importStatuses)[number];
export const importPolicies = ["skip_bad_rows", "stop_at_first_error"] as const;
export type ImportPolicy = (typeof importPolicies)[number];
export const importEncodings = ["utf-8", "utf-8-bom", "windows-1252"] as const;
export type ImportEncoding = (typeof importEncodings)[number];

/**
 * One CSV import: the uploaded file (in the IMPORTS bucket under `fileKey`), what was
 * detected about it, the mapping it runs with, and its progress. Counters move forward
 * only in the same D1 batch as a chunk's rows (see importChunks).
 */
export const imports = sqliteTable(
  "imports",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    objectType: text("object_type", { enum: recordTypes }).notNull(),
    status: text("status", { enum: importStatuses }).notNull(),
    fileName: text("file_name"),
    fileKey: text("file_key").notNull(),
    fileBytes: integer("file_bytes").notNull(),
    encoding: text("encoding", { enum: importEncodings }).notNull(),
    delimiter: text("delimiter").notNull(),
    hasHeader: integer("has_header", { mode: "boolean" }).notNull(),
    /** The header cells (or "Column 1", … without a header). */
    columns: json<string[]>("columns").notNull(),
    /** Byte offset of the first data row (after a BOM and the header). */
    dataStart: integer("data_start").notNull(),
    /** Column name → target field (`firstName`, `cf.plan`, …); null until started. */
    mapping: json<Record<string, string> | null>("mapping"),
    matchKey: text("match_key", { enum: ["email", "domain", "none"] }),
    policy: text("policy", { enum: importPolicies }),
    createdBy: text("created_by").notNull(),
    /** The actor that started it (services' Actor), so queued chunks act, see and audit as that person or key. */
    startedBy: json<Record<string, unknown> | null>("started_by"),
    rowsDone: integer("rows_done").notNull().default(0),
    created: integer("created").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    skipped: integer("skipped").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    bytesDone: integer("bytes_done").notNull().default(0),
    failureReason: text("failure_reason"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    startedAt: timestamp("started_at"),
    finishedAt: timestamp("finished_at"),
  },
  (t) => [index("imports_tenant_created_idx").on(t.tenantId, t.createdAt, t.id)],
);

/**
 * A chunk of an import that has been written. Inserted (plain INSERT, no upsert) in the same
 * batch as the chunk's rows and counters: a second delivery of the chunk fails on the key and
 * its whole batch rolls back, so it changes nothing.
 */
export const importChunks = sqliteTable(
  "import_chunks",
  {
    tenantId: tenantIdColumn(),
    importId: text("import_id").notNull(),
    chunkIndex: integer("chunk_index").notNull(),
    rows: integer("rows").notNull(),
    endByte: integer("end_byte").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.importId, t.chunkIndex] })],
);

/** One problem with one row of an import: the error report's lines. */
export const importErrors = sqliteTable(
  "import_errors",
  {
    tenantId: tenantIdColumn(),
    importId: text("import_id").notNull(),
    rowNumber: integer("row_number").notNull(),
    /** The CSV column at fault, or null when the row as a whole is (a duplicate key, say). */
    column: text("column"),
    value: text("value"),
    message: text("message").notNull(),
  },
  (t) => [index("import_errors_tenant_import_idx").on(t.tenantId, t.importId, t.rowNumber)],
);

/** Header → field choices a tenant made for an object: the next upload's suggestions start from them. */
export const importMappings = sqliteTable(
  "import_mappings",
  {
    tenantId: tenantIdColumn(),
    objectType: text("object_type", { enum: recordTypes }).notNull(),
    /** The header, normalised (lower case, letters and digits only). */
    header: text("header").notNull(),
    target: text("target").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.objectType, t.header] })],
);
