import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { createView } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CreateViewBodySchema, ViewSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/views",
  operationId: "createView",
  summary: "Save a list's filters, sort and columns as a named view of the caller's",
  tags: ["Saved views"],
  // Viewers too: a view is the person's own preference, not CRM data.
  ...access({ scope: "views:write", role: "viewer", keys: false }),
  request: { body: { required: true, content: { "application/json": { schema: CreateViewBodySchema } } } },
  responses: {
    201: { description: "Saved", content: { "application/json": { schema: ViewSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerCreateView(app: App): void {
  app.openapi(route, async (c) => c.json(await createView(tenantContext(c), c.req.valid("json")), 201));
}
