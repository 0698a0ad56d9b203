import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { findImport, publicImport } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ImportSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/imports/{id}",
  operationId: "getImport",
  summary: "One import, with its progress",
  description: "Poll it for a progress bar: `progress.fraction` is the share of the file read.",
  tags: ["Imports"],
  ...access({ scope: "imports:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The import", content: { "application/json": { schema: ImportSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetImport(app: App): void {
  app.openapi(route, async (c) =>
    c.json(publicImport(await findImport(tenantContext(c), c.req.valid("param").id)), 200),
  );
}
