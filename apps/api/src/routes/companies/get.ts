import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getCompany } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { CompanySchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/companies/{id}",
  operationId: "getCompany",
  summary: "One company",
  tags: ["Companies"],
  ...access({ scope: "companies:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The company", content: { "application/json": { schema: CompanySchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetCompany(app: App): void {
  app.openapi(route, async (c) => c.json(await getCompany(tenantContext(c), c.req.valid("param").id), 200));
}
