import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getMailbox } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { MailboxSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/mailboxes/{id}",
  operationId: "getMailbox",
  summary: "One mailbox (its credentials are never returned)",
  tags: ["Mailboxes"],
  ...access({ scope: "outreach:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The mailbox", content: { "application/json": { schema: MailboxSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetMailbox(app: App): void {
  app.openapi(route, async (c) => c.json(await getMailbox(tenantContext(c), c.req.valid("param").id), 200));
}
