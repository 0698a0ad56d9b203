import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { leadStats } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { LeadStatsSchema, RangeQuerySchema, rangeFrom } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/stats/leads",
  operationId: "getLeadStats",
  summary: "Leads created over a period, by stage, source and owner",
  description: "Members whose role sees only their own records get figures over those.",
  tags: ["Stats"],
  ...access({ scope: "stats:read" }),
  request: { query: RangeQuerySchema },
  responses: {
    200: { description: "The figures", content: { "application/json": { schema: LeadStatsSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerLeadStats(app: App): void {
  app.openapi(route, async (c) => c.json(await leadStats(tenantContext(c), rangeFrom(c.req.valid("query"))), 200));
}
