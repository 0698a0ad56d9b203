import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { createCompany } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CompanySchema, CreateCompanyBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/companies",
  operationId: "createCompany",
  summary: "Create a company",
  description: "A domain another company already has is a 409 whose `existingId` names that company.",
  tags: ["Companies"],
  ...access({ scope: "companies:write" }),
  request: { body: { required: true, content: { "application/json": { schema: CreateCompanyBodySchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: CompanySchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerCreateCompany(app: App): void {
  app.openapi(route, async (c) => c.json(await createCompany(tenantContext(c), c.req.valid("json")), 201));
}
