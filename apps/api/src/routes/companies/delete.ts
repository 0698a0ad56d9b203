import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { deleteCompany } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/companies/{id}",
  operationId: "deleteCompany",
  summary: "Delete a company",
  description: "Its contacts, deals and tasks stay, unlinked from it; its notes and activities go with it.",
  tags: ["Companies"],
  ...access({ scope: "companies:write" }),
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses(),
  },
});

export function registerDeleteCompany(app: App): void {
  app.openapi(route, async (c) => {
    await deleteCompany(tenantContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
