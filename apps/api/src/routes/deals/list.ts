import { createRoute, type z } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listDeals, type TenantContext } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { customFieldFilterDescription, recordListFilters } from "../../lib/list-query";
import { access } from "../../lib/route";
import { DealListQuerySchema, DealPageSchema, dealSortDescription } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/deals",
  operationId: "listDeals",
  summary: "List, filter and search deals",
  description:
    "Filters combine with AND: pipeline, stage, status, owner (`me`), contact, company, tags, value and expected-close " +
    `ranges, created/updated ranges. \`q\` searches deal names (and their notes). ${dealSortDescription} ` +
    `${customFieldFilterDescription} Pages are keyset-based. Members whose role sees only their own records get only those.`,
  tags: ["Deals"],
  ...access({ scope: "deals:read" }),
  request: { query: DealListQuerySchema },
  responses: {
    200: { description: "A page of deals", content: { "application/json": { schema: DealPageSchema } } },
    ...openApiErrorResponses(),
  },
});

/** A page of the list for this query: the list route's and the export's. */
export function dealPage(ctx: TenantContext, query: z.infer<typeof DealListQuerySchema>, url: string) {
  const { limit, cursor, sort, ...filters } = query;
  return listDeals(ctx, recordListFilters(filters, url), { limit, cursor, sort });
}

export function registerListDeals(app: App): void {
  app.openapi(route, async (c) => c.json(await dealPage(tenantContext(c), c.req.valid("query"), c.req.url), 200));
}
