import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listLeadStageHistory } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema, PageQuerySchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { LeadStageChangePageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/leads/{id}/stage-history",
  operationId: "listLeadStageHistory",
  summary: "Every stage change of a lead, oldest first, with its reason and time",
  tags: ["Leads"],
  ...access({ scope: "leads:read" }),
  request: { params: IdParamSchema, query: PageQuerySchema },
  responses: {
    200: {
      description: "A page of stage changes",
      content: { "application/json": { schema: LeadStageChangePageSchema } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerLeadStageHistory(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await listLeadStageHistory(tenantContext(c), c.req.valid("param").id, c.req.valid("query")), 200),
  );
}
