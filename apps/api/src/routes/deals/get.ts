import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getDeal } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { DealSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/deals/{id}",
  operationId: "getDeal",
  summary: "One deal",
  tags: ["Deals"],
  ...access({ scope: "deals:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The deal", content: { "application/json": { schema: DealSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetDeal(app: App): void {
  app.openapi(route, async (c) => c.json(await getDeal(tenantContext(c), c.req.valid("param").id), 200));
}
