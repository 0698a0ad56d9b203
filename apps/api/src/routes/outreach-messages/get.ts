import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getOutreachMessage } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { OutreachMessageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/outreach/messages/{id}",
  operationId: "getOutreachMessage",
  summary: "One outreach message with its body, tracking events and the replies it received",
  tags: ["Outreach"],
  ...access({ scope: "outreach:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The message", content: { "application/json": { schema: OutreachMessageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetOutreachMessage(app: App): void {
  app.openapi(route, async (c) => c.json(await getOutreachMessage(tenantContext(c), c.req.valid("param").id), 200));
}
