import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { bulkContacts } from "@crm/services";
import type { App } from "../../app";
import { BulkResultSchema } from "../../lib/bulk";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { ContactBulkBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/contacts/bulk",
  operationId: "bulkContacts",
  summary: "Update, delete, assign, tag or untag up to 1,000 contacts at once",
  description:
    "All or nothing, in one transaction: if any id is unknown (or another organization's), listed twice, or a change " +
    "is invalid, the answer is 422 naming each problem (`body.ids.<index>`, `body.changes.<field>`) and nothing changes.",
  tags: ["Contacts"],
  ...access({ scope: "contacts:write" }),
  request: { body: { required: true, content: { "application/json": { schema: ContactBulkBodySchema } } } },
  responses: {
    200: {
      description: "One result per id, in the order given",
      content: { "application/json": { schema: BulkResultSchema } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerBulkContacts(app: App): void {
  app.openapi(route, async (c) => c.json(await bulkContacts(tenantContext(c), c.req.valid("json")), 200));
}
