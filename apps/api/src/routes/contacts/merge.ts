import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { mergeContacts } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { ContactSchema, MergeContactsBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/contacts/merge",
  operationId: "mergeContacts",
  summary: "Merge a duplicate contact into another",
  description:
    "Moves the duplicate's deals, tasks, notes, activities and lifecycle history to the survivor, unites tags, emails, " +
    "phones, social links and custom fields, fills the survivor's empty fields from the duplicate, then deletes the " +
    "duplicate: one transaction, both audited.",
  tags: ["Contacts"],
  ...access({ scope: "contacts:write" }),
  request: { body: { required: true, content: { "application/json": { schema: MergeContactsBodySchema } } } },
  responses: {
    200: { description: "The survivor after the merge", content: { "application/json": { schema: ContactSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerMergeContacts(app: App): void {
  app.openapi(route, async (c) => {
    const { survivorId, mergedId } = c.req.valid("json");
    return c.json(await mergeContacts(tenantContext(c), survivorId, mergedId), 200);
  });
}
