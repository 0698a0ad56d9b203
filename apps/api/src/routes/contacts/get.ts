import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getContact } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ContactSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/contacts/{id}",
  operationId: "getContact",
  summary: "One contact",
  tags: ["Contacts"],
  ...access({ scope: "contacts:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The contact", content: { "application/json": { schema: ContactSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetContact(app: App): void {
  app.openapi(route, async (c) => c.json(await getContact(tenantContext(c), c.req.valid("param").id), 200));
}
