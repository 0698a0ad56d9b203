import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { updateDeal } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { DealSchema, dealInputFrom, UpdateDealBodySchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/deals/{id}",
  operationId: "updateDeal",
  summary: "Change some of a deal's fields",
  description:
    "Only the fields sent change; null clears one; `tags` replaces the list and `customFields` merges by key. The stage " +
    "changes through move-stage. Setting the status to won or lost stamps `closedAt`, back to active or paused clears it; " +
    "in a won or lost stage the status is the stage's (422).",
  tags: ["Deals"],
  ...access({ scope: "deals:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: UpdateDealBodySchema } } },
  },
  responses: {
    200: { description: "The deal as changed", content: { "application/json": { schema: DealSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerUpdateDeal(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await updateDeal(tenantContext(c), c.req.valid("param").id, dealInputFrom(c.req.valid("json"))), 200),
  );
}
