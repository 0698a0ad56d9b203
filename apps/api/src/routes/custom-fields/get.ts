import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getCustomField } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { CustomFieldSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/custom-fields/{id}",
  operationId: "getCustomField",
  summary: "One custom field",
  tags: ["Custom fields"],
  ...access({ scope: "custom_fields:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The custom field", content: { "application/json": { schema: CustomFieldSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetCustomField(app: App): void {
  app.openapi(route, async (c) => c.json(await getCustomField(tenantContext(c), c.req.valid("param").id), 200));
}
