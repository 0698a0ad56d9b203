import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getView } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ViewSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/views/{id}",
  operationId: "getView",
  summary: "One of the caller's saved views (another person's is a 404)",
  tags: ["Saved views"],
  ...access({ scope: "views:read", keys: false }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The view", content: { "application/json": { schema: ViewSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetView(app: App): void {
  app.openapi(route, async (c) => c.json(await getView(tenantContext(c), c.req.valid("param").id), 200));
}
