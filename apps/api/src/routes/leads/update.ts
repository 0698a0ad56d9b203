import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { updateLead } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { LeadSchema, UpdateLeadBodySchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/leads/{id}",
  operationId: "updateLead",
  summary: "Change some of a lead's fields, its stage included",
  description:
    "Only the fields sent change; null clears one. A new `stage` is stamped and added to the stage history with " +
    "`stageReason` (or `lostReason`, required when entering `lost`; leaving `lost` clears it).",
  tags: ["Leads"],
  ...access({ scope: "leads:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: UpdateLeadBodySchema } } },
  },
  responses: {
    200: { description: "The lead as changed", content: { "application/json": { schema: LeadSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerUpdateLead(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await updateLead(tenantContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
