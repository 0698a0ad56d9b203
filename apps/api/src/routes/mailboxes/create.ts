import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { createMailbox, urlPolicyFor } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CreateMailboxBodySchema, MailboxSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/mailboxes",
  operationId: "createMailbox",
  summary: "Add a sending mailbox (owner/admin): the dev outbox, SMTP or Postmark",
  description:
    "smtp needs `settings.host` and `settings.port` (and `credentials.password` with a `settings.username`); " +
    "postmark needs `credentials.serverToken`. Credentials are sealed (AES-GCM) and never returned. " +
    "The tenant's first mailbox becomes its default.",
  tags: ["Mailboxes"],
  ...access({ scope: "outreach:write", role: "admin" }),
  request: { body: { required: true, content: { "application/json": { schema: CreateMailboxBodySchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: MailboxSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerCreateMailbox(app: App): void {
  app.openapi(route, async (c) =>
    c.json(
      await createMailbox(tenantContext(c), c.req.valid("json"), {
        secretsKey: c.env.SECRETS_KEY,
        urlPolicy: urlPolicyFor(c.env.ENVIRONMENT),
      }),
      201,
    ),
  );
}
