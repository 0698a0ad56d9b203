import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { cancelImport, publicImport } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ImportSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/imports/{id}/cancel",
  operationId: "cancelImport",
  summary: "Cancel an import",
  description: "Rows already written stay; no further chunk is written. An import that has finished is a 409.",
  tags: ["Imports"],
  ...access({ scope: "imports:write" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "Cancelled", content: { "application/json": { schema: ImportSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerCancelImport(app: App): void {
  app.openapi(route, async (c) => {
    const cancelled = await cancelImport(tenantContext(c), c.req.valid("param").id);
    // A chunk still running finds the status first, or a missing file and then the status on its retry.
    await c.env.IMPORTS.delete(cancelled.fileKey);
    return c.json(publicImport(cancelled), 200);
  });
}
