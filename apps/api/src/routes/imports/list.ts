import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listImports } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { PageQuerySchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ImportPageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/imports",
  operationId: "listImports",
  summary: "List imports, newest first",
  tags: ["Imports"],
  ...access({ scope: "imports:read" }),
  request: { query: PageQuerySchema },
  responses: {
    200: { description: "A page of imports", content: { "application/json": { schema: ImportPageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListImports(app: App): void {
  app.openapi(route, async (c) => c.json(await listImports(tenantContext(c), c.req.valid("query")), 200));
}
