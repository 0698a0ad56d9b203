import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { bulkCompanies } from "@crm/services";
import type { App } from "../../app";
import { BulkResultSchema } from "../../lib/bulk";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CompanyBulkBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/companies/bulk",
  operationId: "bulkCompanies",
  summary: "Update, delete, assign, tag or untag up to 1,000 companies at once",
  description:
    "All or nothing, in one transaction: if any id is unknown (or another organization's), listed twice, or a change " +
    "is invalid, the answer is 422 naming each problem (`body.ids.<index>`, `body.changes.<field>`) and nothing changes.",
  tags: ["Companies"],
  ...access({ scope: "companies:write" }),
  request: { body: { required: true, content: { "application/json": { schema: CompanyBulkBodySchema } } } },
  responses: {
    200: {
      description: "One result per id, in the order given",
      content: { "application/json": { schema: BulkResultSchema } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerBulkCompanies(app: App): void {
  app.openapi(route, async (c) => c.json(await bulkCompanies(tenantContext(c), c.req.valid("json")), 200));
}
