import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listCustomFields } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CustomFieldListQuerySchema, CustomFieldListSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/custom-fields",
  operationId: "listCustomFields",
  summary: "The organization's custom fields, by object and position",
  description: "All of them in one page (an object has at most 200): `nextCursor` is always null.",
  tags: ["Custom fields"],
  ...access({ scope: "custom_fields:read" }),
  request: { query: CustomFieldListQuerySchema },
  responses: {
    200: { description: "The custom fields", content: { "application/json": { schema: CustomFieldListSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListCustomFields(app: App): void {
  app.openapi(route, async (c) => c.json(await listCustomFields(tenantContext(c), c.req.valid("query")), 200));
}
