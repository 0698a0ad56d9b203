import { z } from "@hono/zod-openapi";
import { importEncodings, importPolicies, importStatuses, recordTypes } from "@crm/db";
import { pageOf } from "../../lib/pagination";

export const ObjectTypeSchema = z.enum(recordTypes).openapi({ example: "contact" });

export const ImportSchema = z
  .object({
    id: z.string().openapi({ example: "imp_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    objectType: ObjectTypeSchema,
    status: z.enum(importStatuses).openapi({
      description:
        "`uploaded` (waiting for its mapping), `queued`, `running`, then `completed`, `failed` (stopped at a bad row " +
        "under stop-at-first-error, or a file that cannot be parsed) or `cancelled`",
    }),
    fileName: z.string().nullable(),
    fileBytes: z.number().int(),
    encoding: z.enum(importEncodings),
    delimiter: z.string().openapi({ example: ";" }),
    hasHeader: z.boolean(),
    columns: z.array(z.string()).openapi({ example: ["First name", "E-mail"] }),
    mapping: z
      .record(z.string(), z.string())
      .nullable()
      .openapi({
        description: "Column → field, once started",
        example: { "First name": "firstName", "E-mail": "email" },
      }),
    matchKey: z.enum(["email", "domain", "none"]).nullable(),
    policy: z.enum(importPolicies).nullable(),
    progress: z.object({
      rowsDone: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      skipped: z.number().int().openapi({ description: "Rows that matched a record and changed nothing" }),
      failed: z.number().int().openapi({ description: "Rows with errors (see the error report)" }),
      bytesDone: z.number().int(),
      fraction: z.number().openapi({ description: "Share of the file read, 0–1: a progress bar's value" }),
    }),
    failureReason: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi("Import");

export const ImportPageSchema = pageOf(ImportSchema, "ImportPage");

export const ImportFieldSchema = z
  .object({
    target: z.string().openapi({ example: "firstName" }),
    label: z.string().openapi({ example: "First name" }),
  })
  .openapi("ImportField");

const ProblemSchema = z.object({
  column: z.string().nullable().openapi({ description: "The column at fault; null when the row as a whole is" }),
  value: z.string().nullable(),
  message: z.string(),
});

export const PreviewRowSchema = z
  .object({
    rowNumber: z.number().int().openapi({ description: "As a spreadsheet numbers it: the header is row 1" }),
    cells: z.record(z.string(), z.string()).openapi({ description: "By column" }),
    outcome: z
      .enum(["create", "update", "skip"])
      .nullable()
      .openapi({ description: "What starting the import would do with the row; null when it has errors" }),
    errors: z.array(ProblemSchema),
  })
  .openapi("ImportPreviewRow");

export const ImportPreviewSchema = z
  .object({
    import: ImportSchema,
    fields: z.array(ImportFieldSchema).openapi({ description: "What columns can be mapped to" }),
    mapping: z
      .record(z.string(), z.string().nullable())
      .openapi({ description: "Column → field (null: not imported); on upload, the suggestion" }),
    matchKey: z.enum(["email", "domain", "none"]),
    preview: z.array(PreviewRowSchema),
  })
  .openapi("ImportPreview");

export const UploadQuerySchema = z.object({
  objectType: ObjectTypeSchema.openapi({ param: { name: "objectType", in: "query" } }),
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi({ param: { name: "fileName", in: "query" }, example: "contacts.csv" }),
});

export const TemplateQuerySchema = z.object({
  objectType: ObjectTypeSchema.openapi({ param: { name: "objectType", in: "query" } }),
});

const MatchKeySchema = z.enum(["email", "domain", "none"]).openapi({
  description:
    "Create-or-update key: `email` (contacts) or `domain` (companies) updates the record that has it; `none` always " +
    "creates. Default: `email` for contacts and `domain` for companies when a column is mapped to it, else `none`",
});

const MappingSchema = z
  .record(z.string().max(200), z.string().max(100).nullable())
  .refine((m) => Object.keys(m).length <= 500, "At most 500 columns")
  .openapi({ description: "Column → field target (see `fields`); null or absent: not imported" });

export const PreviewBodySchema = z
  .strictObject({ mapping: MappingSchema, matchKey: MatchKeySchema.optional() })
  .openapi("ImportPreviewRequest");

export const StartImportBodySchema = z
  .strictObject({
    mapping: MappingSchema,
    matchKey: MatchKeySchema.optional(),
    policy: z
      .enum(importPolicies)
      .default("skip_bad_rows")
      .openapi({ description: "`skip_bad_rows` (default) imports every good row; `stop_at_first_error` stops there" }),
  })
  .openapi("StartImportRequest");
