import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { updateContact } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ContactSchema, UpdateContactBodySchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/contacts/{id}",
  operationId: "updateContact",
  summary: "Change some of a contact's fields",
  description:
    "Only the fields sent change; null clears one. `emails`, `phones`, `tags` and `socialLinks` replace the whole list; " +
    "`customFields` merges by key. A new lifecycle stage is stamped and added to the lifecycle history.",
  tags: ["Contacts"],
  ...access({ scope: "contacts:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: UpdateContactBodySchema } } },
  },
  responses: {
    200: { description: "The contact as changed", content: { "application/json": { schema: ContactSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerUpdateContact(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await updateContact(tenantContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
