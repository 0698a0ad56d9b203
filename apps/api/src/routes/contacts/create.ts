import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { createContact } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { ContactSchema, CreateContactBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/contacts",
  operationId: "createContact",
  summary: "Create a contact",
  description:
    "Needs a first name, a last name or an email. A primary email another contact already has is a 409 whose " +
    "`existingId` names that contact. The company must exist and the owner must be a member (422 otherwise).",
  tags: ["Contacts"],
  ...access({ scope: "contacts:write" }),
  request: { body: { required: true, content: { "application/json": { schema: CreateContactBodySchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: ContactSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerCreateContact(app: App): void {
  app.openapi(route, async (c) => c.json(await createContact(tenantContext(c), c.req.valid("json")), 201));
}
