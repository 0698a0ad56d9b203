import { createRoute, z } from "@hono/zod-openapi";
import type { RecordType } from "@crm/db";
import { openApiErrorResponses } from "@crm/errors";
import { customFieldDefinitionsFor, type Scope, type TenantContext } from "@crm/services";
import type { App } from "../app";
import { tenantContext } from "./context";
import { csvResponse, csvStream } from "./csv";
import { access } from "./route";

type Page = { data: Record<string, unknown>[]; nextCursor: string | null };
interface Column {
  header: string;
  read: (record: Record<string, unknown>) => unknown;
}

/** Records per page the export reads: the list's own service, at its largest page. */
const exportPageSize = 200;

function unwrap(schema: z.ZodType): z.ZodType {
  const def = (schema as unknown as { def: { type: string; innerType?: z.ZodType } }).def;
  return (def.type === "nullable" || def.type === "optional") && def.innerType ? unwrap(def.innerType) : schema;
}

/** A cell: lists joined with "; " (a list of objects by each one's first member: an email's address). */
function cell(value: unknown): unknown {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value))
    return value.map((item) => (item && typeof item === "object" ? Object.values(item as object)[0] : item)).join("; ");
  if (typeof value === "object") return JSON.stringify(value);
  return value;
}

/**
 * One column per field of the object's API schema (nested objects as `consent.status`),
 * then one per custom field as `cf.<key>`: the headers an import maps back by themselves.
 */
export function exportColumns(schema: z.ZodObject, customFieldKeys: string[]): Column[] {
  const columns: Column[] = [];
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    if (key === "customFields") continue;
    const inner = unwrap(field);
    if (inner instanceof z.ZodObject) {
      for (const sub of Object.keys(inner.shape as object))
        columns.push({
          header: `${key}.${sub}`,
          read: (r) => cell((r[key] as Record<string, unknown> | null)?.[sub]),
        });
    } else {
      columns.push({ header: key, read: (r) => cell(r[key]) });
    }
  }
  for (const key of customFieldKeys)
    columns.push({ header: `cf.${key}`, read: (r) => cell((r.customFields as Record<string, unknown>)[key]) });
  return columns;
}

/**
 * Registers GET /api/v1/<plural>/export: the list route's query (filters, `cf.*`, `q`,
 * `sort`; visibility applies as in the list) as a streamed CSV, paging through the list
 * with its cursor. Register it before `/<plural>/{id}`.
 */
export function registerCsvExport<Q extends z.ZodObject>(
  app: App,
  options: {
    objectType: RecordType;
    plural: string;
    tag: string;
    scope: Scope;
    querySchema: Q;
    recordSchema: z.ZodObject;
    page: (ctx: TenantContext, query: z.infer<Q>, url: string) => Promise<Page>;
  },
): void {
  const query = options.querySchema.omit({ limit: true, cursor: true } as never) as unknown as z.ZodObject;
  const route = createRoute({
    method: "get",
    path: `/api/v1/${options.plural}/export`,
    operationId: `export${options.tag.replace(/\s/g, "")}`,
    summary: `Export ${options.plural} as CSV`,
    description:
      `Every ${options.objectType} the list (GET /api/v1/${options.plural}) would return for the same query, as one ` +
      "streamed CSV: a column per field, lists joined with `; `, then a `cf.<key>` column per custom field. Exported " +
      "files import back with their columns mapped by themselves.",
    tags: [options.tag],
    ...access({ scope: options.scope }),
    request: { query },
    responses: {
      200: { description: "The CSV file", content: { "text/csv": { schema: z.string() } } },
      ...openApiErrorResponses(),
    },
  });
  app.openapi(route, async (c) => {
    const ctx = tenantContext(c);
    const filters = c.req.valid("query" as never) as Record<string, unknown>;
    const definitions = await customFieldDefinitionsFor(ctx, options.objectType);
    const columns = exportColumns(
      options.recordSchema,
      definitions.map((d) => d.key),
    );
    const pageAfter = (cursor: string | undefined) =>
      options.page(ctx, { ...filters, limit: exportPageSize, cursor } as z.infer<Q>, c.req.url);
    // The first page is read before answering: a bad filter or sort is a problem response, not a broken stream.
    let next: Page | null = await pageAfter(undefined);
    const body = csvStream(
      columns.map((col) => col.header),
      async () => {
        if (!next) return null;
        const page: Page = next;
        next = page.nextCursor === null ? null : await pageAfter(page.nextCursor);
        return page.data.map((record) => columns.map((col) => col.read(record)));
      },
    );
    const day = new Date().toISOString().slice(0, 10);
    return csvResponse(body, `${options.plural}-${day}.csv`);
  });
}
