import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { bulkDeals } from "@crm/services";
import type { App } from "../../app";
import { BulkResultSchema } from "../../lib/bulk";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { DealBulkBodySchema, dealInputFrom } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/deals/bulk",
  operationId: "bulkDeals",
  summary: "Update, delete, assign, tag or untag up to 1,000 deals at once",
  description:
    "All or nothing, in one transaction: if any id is unknown (or another organization's), listed twice, or a deal cannot " +
    "take the change (a status against its won/lost stage), the answer is 422 naming each problem (`body.ids.<index>`, " +
    "`body.changes.<field>`) and nothing changes. Stages change through move-stage.",
  tags: ["Deals"],
  ...access({ scope: "deals:write" }),
  request: { body: { required: true, content: { "application/json": { schema: DealBulkBodySchema } } } },
  responses: {
    200: {
      description: "One result per id, in the order given",
      content: { "application/json": { schema: BulkResultSchema } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerBulkDeals(app: App): void {
  app.openapi(route, async (c) => {
    const { changes, ...request } = c.req.valid("json");
    return c.json(await bulkDeals(tenantContext(c), { ...request, changes: changes && dealInputFrom(changes) }), 200);
  });
}
