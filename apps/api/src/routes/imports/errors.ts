import { createRoute, z } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { findImport, importErrorsAfter } from "@crm/services";
import type { App } from "../../app";
import { csvResponse, csvStream } from "../../lib/csv";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "get",
  path: "/api/v1/imports/{id}/errors",
  operationId: "downloadImportErrors",
  summary: "Download an import's error report (CSV)",
  description:
    "One line per problem: `row` (as a spreadsheet numbers it, the header being row 1), `column` (empty when the " +
    "row as a whole is at fault), `value` (the cell) and `message`. Streamed; only the header when there are none.",
  tags: ["Imports"],
  ...access({ scope: "imports:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: {
      description: "The error report",
      content: {
        "text/csv": {
          schema: z.string().openapi({ example: "row,column,value,message\n3,Email,ada@,Invalid email address\n" }),
        },
      },
    },
    ...openApiErrorResponses(),
  },
});

const pageSize = 1000;

export function registerDownloadImportErrors(app: App): void {
  app.openapi(route, async (c) => {
    const ctx = tenantContext(c);
    const job = await findImport(ctx, c.req.valid("param").id);
    let after = 0;
    let finished = false;
    const body = csvStream(["row", "column", "value", "message"], async () => {
      if (finished) return null;
      const page = await importErrorsAfter(ctx, job.id, after, pageSize);
      // Pages end on a whole row: a row's problems are never split across two pages.
      const last = page[page.length - 1]?.rowNumber ?? after;
      const kept =
        page.length === pageSize && page[0]!.rowNumber !== last ? page.filter((e) => e.rowNumber !== last) : page;
      if (page.length < pageSize) finished = true;
      after = kept[kept.length - 1]?.rowNumber ?? after;
      return kept.map((e) => [e.rowNumber, e.column ?? "", e.value ?? "", e.message]);
    });
    return csvResponse(body, `import-${job.id}-errors.csv`);
  });
}
