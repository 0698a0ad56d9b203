import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { contactChurnRisk } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ScoreSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/contacts/{id}/churn-risk",
  operationId: "getContactChurnRisk",
  summary: "The customer's churn risk (low, medium, high, critical) with the fields behind it",
  description: "From the organization's churn model (409 until one is trained); stored with its history.",
  tags: ["AI"],
  ...access({ scope: "contacts:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The churn risk", content: { "application/json": { schema: ScoreSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerChurnRisk(app: App): void {
  app.openapi(route, async (c) => c.json(await contactChurnRisk(tenantContext(c), c.req.valid("param").id), 200));
}
