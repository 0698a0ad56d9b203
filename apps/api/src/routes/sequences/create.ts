import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { createSequence } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CreateSequenceBodySchema, SequenceSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/sequences",
  operationId: "createSequence",
  summary: "Create a sequence with its steps",
  description:
    "Tokens: `{{contact.firstName|fallback}}` (firstName, lastName, fullName, email, title, phone, timeZone, " +
    "customFields.<key>), `{{company.name}}` (name, domain, industry, website), `{{deal.name}}` (name, value, " +
    "currency: the contact's newest open deal), `{{sender.name}}` (name, email). 422 at the field at fault for an " +
    "unknown token (`body.steps.1.variants.0.body`), an email variant without subject, weights not summing to 100, " +
    "a send window that never opens, an unknown time zone or mailbox.",
  tags: ["Sequences"],
  ...access({ scope: "sequences:write" }),
  request: { body: { required: true, content: { "application/json": { schema: CreateSequenceBodySchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: SequenceSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerCreateSequence(app: App): void {
  app.openapi(route, async (c) => c.json(await createSequence(tenantContext(c), c.req.valid("json")), 201));
}
