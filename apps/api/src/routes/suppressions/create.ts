import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { addSuppression } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CreateSuppressionBodySchema, SuppressionSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/suppressions",
  operationId: "createSuppression",
  summary: "Suppress an address: nothing is sent to it again (409 with `existingId` if it already is)",
  tags: ["Outreach"],
  ...access({ scope: "outreach:write" }),
  request: { body: { required: true, content: { "application/json": { schema: CreateSuppressionBodySchema } } } },
  responses: {
    201: { description: "Suppressed", content: { "application/json": { schema: SuppressionSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerCreateSuppression(app: App): void {
  app.openapi(route, async (c) => c.json(await addSuppression(tenantContext(c), c.req.valid("json")), 201));
}
