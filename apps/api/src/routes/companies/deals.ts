import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listCompanyDeals } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema, PageQuerySchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { DealPageSchema } from "../deals/schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/companies/{id}/deals",
  operationId: "listCompanyDeals",
  summary: "The company's deals, newest first",
  tags: ["Companies"],
  ...access({ scope: "deals:read" }),
  request: { params: IdParamSchema, query: PageQuerySchema },
  responses: {
    200: { description: "A page of deals", content: { "application/json": { schema: DealPageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListCompanyDeals(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await listCompanyDeals(tenantContext(c), c.req.valid("param").id, c.req.valid("query")), 200),
  );
}
