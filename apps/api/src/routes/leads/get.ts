import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getLead } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { LeadSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/leads/{id}",
  operationId: "getLead",
  summary: "One lead",
  tags: ["Leads"],
  ...access({ scope: "leads:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The lead", content: { "application/json": { schema: LeadSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetLead(app: App): void {
  app.openapi(route, async (c) => c.json(await getLead(tenantContext(c), c.req.valid("param").id), 200));
}
