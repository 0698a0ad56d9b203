import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { updateView } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { UpdateViewBodySchema, ViewSchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/views/{id}",
  operationId: "updateView",
  summary: "Rename a saved view or replace its query or columns",
  tags: ["Saved views"],
  ...access({ scope: "views:write", role: "viewer", keys: false }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: UpdateViewBodySchema } } },
  },
  responses: {
    200: { description: "The view as changed", content: { "application/json": { schema: ViewSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerUpdateView(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await updateView(tenantContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
