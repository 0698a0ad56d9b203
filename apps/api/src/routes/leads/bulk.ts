import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { bulkLeads } from "@crm/services";
import type { App } from "../../app";
import { BulkResultSchema } from "../../lib/bulk";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { LeadBulkBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/leads/bulk",
  operationId: "bulkLeads",
  summary: "Update, delete, assign, tag or untag up to 1,000 leads at once",
  description:
    "Bulk assignment is `action: assign` with `ownerId` (null: back to unassigned). A stage change is recorded in each " +
    "lead's stage history. All or nothing, in one transaction: any unknown (or another organization's) or repeated id, or " +
    "an invalid change, is a 422 naming each problem (`body.ids.<index>`, `body.changes.<field>`) and nothing changes.",
  tags: ["Leads"],
  ...access({ scope: "leads:write" }),
  request: { body: { required: true, content: { "application/json": { schema: LeadBulkBodySchema } } } },
  responses: {
    200: {
      description: "One result per id, in the order given",
      content: { "application/json": { schema: BulkResultSchema } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerBulkLeads(app: App): void {
  app.openapi(route, async (c) => c.json(await bulkLeads(tenantContext(c), c.req.valid("json")), 200));
}
