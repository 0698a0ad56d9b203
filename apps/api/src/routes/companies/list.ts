import { createRoute, type z } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listCompanies, type TenantContext } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { customFieldFilterDescription, recordListFilters } from "../../lib/list-query";
import { access } from "../../lib/route";
import { CompanyListQuerySchema, CompanyPageSchema, companySortDescription } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/companies",
  operationId: "listCompanies",
  summary: "List, filter and search companies",
  description:
    `Filters combine with AND. \`q\` searches name, domain and industry. ${companySortDescription} ` +
    `${customFieldFilterDescription} Pages are keyset-based: a \`nextCursor\` stays valid while companies are added.`,
  tags: ["Companies"],
  ...access({ scope: "companies:read" }),
  request: { query: CompanyListQuerySchema },
  responses: {
    200: { description: "A page of companies", content: { "application/json": { schema: CompanyPageSchema } } },
    ...openApiErrorResponses(),
  },
});

/** A page of the list for this query: the list route's and the export's. */
export function companyPage(ctx: TenantContext, query: z.infer<typeof CompanyListQuerySchema>, url: string) {
  const { limit, cursor, sort, ...filters } = query;
  return listCompanies(ctx, recordListFilters(filters, url), { limit, cursor, sort });
}

export function registerListCompanies(app: App): void {
  app.openapi(route, async (c) => c.json(await companyPage(tenantContext(c), c.req.valid("query"), c.req.url), 200));
}
