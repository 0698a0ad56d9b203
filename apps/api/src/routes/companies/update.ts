import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { updateCompany } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { CompanySchema, UpdateCompanyBodySchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/companies/{id}",
  operationId: "updateCompany",
  summary: "Change some of a company's fields",
  description:
    "Only the fields sent change; null clears one. `tags` replaces the list; `customFields` merges by key. " +
    "A rename is searchable at once on the company's contacts too.",
  tags: ["Companies"],
  ...access({ scope: "companies:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: UpdateCompanyBodySchema } } },
  },
  responses: {
    200: { description: "The company as changed", content: { "application/json": { schema: CompanySchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerUpdateCompany(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await updateCompany(tenantContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
