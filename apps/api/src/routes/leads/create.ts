import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { createLead } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CreateLeadBodySchema, LeadSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/leads",
  operationId: "createLead",
  summary: "Create a lead",
  description:
    "Needs a name, an email or a company name. Starts in stage `lead` unless given (recorded as the first stage-history " +
    "entry); `lost` needs `lostReason`. The owner defaults to the person creating it; leads created with an API key are unassigned.",
  tags: ["Leads"],
  ...access({ scope: "leads:write" }),
  request: { body: { required: true, content: { "application/json": { schema: CreateLeadBodySchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: LeadSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerCreateLead(app: App): void {
  app.openapi(route, async (c) => c.json(await createLead(tenantContext(c), c.req.valid("json")), 201));
}
