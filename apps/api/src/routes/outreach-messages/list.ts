import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listOutreachMessages } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { OutreachMessageListQuerySchema, OutreachMessagePageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/outreach/messages",
  operationId: "listOutreachMessages",
  summary: "The outbox: outreach messages sent, queued, failed or skipped (with the reason), newest first",
  tags: ["Outreach"],
  ...access({ scope: "outreach:read" }),
  request: { query: OutreachMessageListQuerySchema },
  responses: {
    200: {
      description: "A page of messages (without bodies)",
      content: { "application/json": { schema: OutreachMessagePageSchema } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerListOutreachMessages(app: App): void {
  app.openapi(route, async (c) => {
    const { limit, cursor, ...filters } = c.req.valid("query");
    return c.json(await listOutreachMessages(tenantContext(c), filters, { limit, cursor }), 200);
  });
}
