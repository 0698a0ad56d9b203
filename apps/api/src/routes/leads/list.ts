import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listLeads } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { customFieldFilterDescription, recordListFilters } from "../../lib/list-query";
import { access } from "../../lib/route";
import { LeadListQuerySchema, LeadPageSchema, leadSortDescription } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/leads",
  operationId: "listLeads",
  summary: "List, filter and search leads; views: unassigned, high value, mine",
  description:
    "`view=unassigned|high_value|mine` (high value: estimatedValue >= `threshold`, default 10000) combines with the filters " +
    "(stage, source, owner, converted, value range, tags, created/updated ranges). `q` searches names, email, phone, title " +
    `and company. ${leadSortDescription} ${customFieldFilterDescription} Members whose role sees only their own records get only those.`,
  tags: ["Leads"],
  ...access({ scope: "leads:read" }),
  request: { query: LeadListQuerySchema },
  responses: {
    200: { description: "A page of leads", content: { "application/json": { schema: LeadPageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListLeads(app: App): void {
  app.openapi(route, async (c) => {
    const { limit, cursor, sort, converted, ...filters } = c.req.valid("query");
    const page = await listLeads(
      tenantContext(c),
      {
        ...recordListFilters(filters, c.req.url),
        converted: converted === undefined ? undefined : converted === "true",
      },
      { limit, cursor, sort },
    );
    return c.json(page, 200);
  });
}
