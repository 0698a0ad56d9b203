import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { assignLead } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { AssignLeadBodySchema, LeadSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/leads/{id}/assign",
  operationId: "assignLead",
  summary: "Give a lead to a member, or back to the unassigned queue",
  description:
    "The owner must be a member of the organization (422 at `body.ownerId`). Many at once: POST /leads/bulk with `action: assign`.",
  tags: ["Leads"],
  ...access({ scope: "leads:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: AssignLeadBodySchema } } },
  },
  responses: {
    200: { description: "The lead with its new owner", content: { "application/json": { schema: LeadSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerAssignLead(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await assignLead(tenantContext(c), c.req.valid("param").id, c.req.valid("json").ownerId), 200),
  );
}
