import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { createDeal } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CreateDealBodySchema, DealSchema, dealInputFrom } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/deals",
  operationId: "createDeal",
  summary: "Create a deal",
  description:
    "Starts in `stageId` (which must belong to `pipelineId` when both are given), else the first stage of the pipeline, else " +
    "of the first pipeline; takes the stage's probability unless given, and opens its stage history. The contact, company " +
    "and owner must exist in the organization (422 at their path otherwise).",
  tags: ["Deals"],
  ...access({ scope: "deals:write" }),
  request: { body: { required: true, content: { "application/json": { schema: CreateDealBodySchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: DealSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerCreateDeal(app: App): void {
  app.openapi(route, async (c) => c.json(await createDeal(tenantContext(c), dealInputFrom(c.req.valid("json"))), 201));
}
