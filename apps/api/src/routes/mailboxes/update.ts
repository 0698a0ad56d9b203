import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { updateMailbox, urlPolicyFor } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { MailboxSchema, UpdateMailboxBodySchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/mailboxes/{id}",
  operationId: "updateMailbox",
  summary: "Change a mailbox, replace its credentials or make it the default (owner/admin)",
  tags: ["Mailboxes"],
  ...access({ scope: "outreach:write", role: "admin" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: UpdateMailboxBodySchema } } },
  },
  responses: {
    200: { description: "The mailbox as changed", content: { "application/json": { schema: MailboxSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerUpdateMailbox(app: App): void {
  app.openapi(route, async (c) =>
    c.json(
      await updateMailbox(tenantContext(c), c.req.valid("param").id, c.req.valid("json"), {
        secretsKey: c.env.SECRETS_KEY,
        urlPolicy: urlPolicyFor(c.env.ENVIRONMENT),
      }),
      200,
    ),
  );
}
