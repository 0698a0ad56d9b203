import { createRoute, type z } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { leadScoreSummaries, listLeads, type TenantContext } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { customFieldFilterDescription, recordListFilters } from "../../lib/list-query";
import { access } from "../../lib/route";
import { LeadListQuerySchema, LeadPageSchema, leadSortDescription } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/leads",
  operationId: "listLeads",
  summary: "List, filter and search leads (each with its lead score); views: unassigned, high value, mine",
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

/** A page of the list for this query: the list route's and the export's. */
export function leadPage(ctx: TenantContext, query: z.infer<typeof LeadListQuerySchema>, url: string) {
  const { limit, cursor, sort, converted, ...filters } = query;
  return listLeads(
    ctx,
    {
      ...recordListFilters(filters, url),
      converted: converted === undefined ? undefined : converted === "true",
    },
    { limit, cursor, sort },
  );
}

export function registerListLeads(app: App): void {
  app.openapi(route, async (c) => {
    const ctx = tenantContext(c);
    const page = await leadPage(ctx, c.req.valid("query"), c.req.url);
    // One read for the page's scores (at most 200 ids), so the list shows each lead's score.
    const scores = await leadScoreSummaries(
      ctx,
      page.data.map((lead) => lead.id),
    );
    return c.json(
      { ...page, data: page.data.map((lead) => ({ ...lead, leadScore: scores.get(lead.id) ?? null })) },
      200,
    );
  });
}
