import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listMailboxes } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { PageQuerySchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { MailboxPageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/mailboxes",
  operationId: "listMailboxes",
  summary: "List the tenant's sending mailboxes, newest first (never their credentials)",
  tags: ["Mailboxes"],
  ...access({ scope: "outreach:read" }),
  request: { query: PageQuerySchema },
  responses: {
    200: { description: "A page of mailboxes", content: { "application/json": { schema: MailboxPageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListMailboxes(app: App): void {
  app.openapi(route, async (c) => c.json(await listMailboxes(tenantContext(c), c.req.valid("query")), 200));
}
