import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listSuppressions } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { SuppressionListQuerySchema, SuppressionPageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/suppressions",
  operationId: "listSuppressions",
  summary: "Addresses the tenant never sends to (unsubscribed, bounced, complained, added by hand), newest first",
  tags: ["Outreach"],
  ...access({ scope: "outreach:read" }),
  request: { query: SuppressionListQuerySchema },
  responses: {
    200: { description: "A page of suppressions", content: { "application/json": { schema: SuppressionPageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListSuppressions(app: App): void {
  app.openapi(route, async (c) => {
    const { limit, cursor, reason, address } = c.req.valid("query");
    return c.json(await listSuppressions(tenantContext(c), { reason, address }, { limit, cursor }), 200);
  });
}
