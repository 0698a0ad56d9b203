import { createRoute, z } from "@hono/zod-openapi";
import { ApiError, openApiErrorResponses } from "@crm/errors";
import { normalizeHeader, suggestMapping } from "@crm/records";
import { createImport, newImportId, rememberedMappings } from "@crm/services";
import type { App } from "../../app";
import { detectLayout, sampleBytes } from "../../imports/csv";
import { defaultMatchKey, importFieldsFor, previewImport, previewRowCount } from "../../imports/preview";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { ImportPreviewSchema, UploadQuerySchema } from "./schema";

/** Workers accept request bodies up to 100 MB on most plans: the largest file one upload takes. */
export const maxImportBytes = 100 * 1024 * 1024;
export const csvUploadPath = "/api/v1/imports";

const route = createRoute({
  method: "post",
  path: csvUploadPath,
  operationId: "uploadImport",
  summary: "Upload a CSV file to import",
  description:
    "The body is the file itself (`text/csv`), streamed to storage; `Content-Length` is required and at most " +
    `${maxImportBytes} bytes. The encoding (UTF-8 with or without BOM, else Windows-1252), delimiter (comma, ` +
    "semicolon, tab, pipe) and header row are detected. The answer has the columns, a suggested mapping (the " +
    "tenant's earlier choices for the same headers win over guesses from the header names) and the first rows " +
    "with what importing each would do. Nothing is imported until `POST /api/v1/imports/{id}/start`. " +
    "Idempotency-Key is not supported here: an upload that is never started changes nothing.",
  tags: ["Imports"],
  ...access({ scope: "imports:write" }),
  request: {
    query: UploadQuerySchema,
    body: {
      required: true,
      content: {
        "text/csv": {
          schema: z.string().openapi({ format: "binary", example: "First name;E-mail\nAda;ada@example.com\n" }),
        },
      },
    },
  },
  responses: {
    201: { description: "Uploaded and analysed", content: { "application/json": { schema: ImportPreviewSchema } } },
    ...openApiErrorResponses([413, 415]),
  },
});

const csvTypes = new Set([
  "text/csv",
  "text/plain",
  "application/csv",
  "application/octet-stream",
  "application/vnd.ms-excel",
]);

export function registerUploadImport(app: App): void {
  app.openapi(route, async (c) => {
    const ctx = tenantContext(c);
    const { objectType, fileName } = c.req.valid("query");
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!csvTypes.has(type)) throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the file as text/csv");
    const length = Number(c.req.header("content-length") ?? Number.NaN);
    if (!Number.isInteger(length) || length < 0) {
      throw new ApiError("BAD_REQUEST", "Send the file with a Content-Length header", {
        errors: [{ path: "header.content-length", message: "Required: the file's size in bytes" }],
      });
    }
    if (length > maxImportBytes) {
      throw new ApiError("PAYLOAD_TOO_LARGE", `The file exceeds ${maxImportBytes} bytes; split it into several`);
    }
    const body = c.req.raw.body;
    if (length === 0 || !body) {
      throw new ApiError("VALIDATION_FAILED", "The file is empty", {
        errors: [{ path: "body", message: "Empty file" }],
      });
    }
    const id = newImportId();
    const key = `${ctx.tenant.id}/${id}.csv`;
    const stored = await c.env.IMPORTS.put(key, body, { httpMetadata: { contentType: "text/csv" } });
    const sample = await c.env.IMPORTS.get(key, { range: { offset: 0, length: sampleBytes } });
    const { fields } = await importFieldsFor(ctx, objectType);
    const known = new Set(fields.flatMap((f) => [f.target, f.label, ...(f.aliases ?? [])].map(normalizeHeader)));
    const { layout } = detectLayout(new Uint8Array(await sample!.arrayBuffer()), known, previewRowCount);
    if (layout.columns.length === 0) {
      await c.env.IMPORTS.delete(key);
      throw new ApiError("VALIDATION_FAILED", "The file has no rows", {
        errors: [{ path: "body", message: "No rows" }],
      });
    }
    const job = await createImport(ctx, {
      id,
      objectType,
      fileName: fileName ?? null,
      fileKey: key,
      fileBytes: stored?.size ?? length,
      ...layout,
    });
    const mapping = suggestMapping(layout.columns, fields, await rememberedMappings(ctx, objectType));
    return c.json(await previewImport(ctx, c.env.IMPORTS, job, mapping, defaultMatchKey(objectType)), 201);
  });
}
