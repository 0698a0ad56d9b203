import { createRoute } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { openApiErrorResponses } from "@crm/errors";
import { sendContactEmail } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { SendEmailBodySchema, SentEmailSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/outreach/emails",
  operationId: "sendEmail",
  summary: "Send one email to a contact now, outside any sequence",
  description:
    "Through the named mailbox, else the organization's default, else the dev outbox (`delivery: dev_outbox`). " +
    "Consent, do-not-contact and the suppression list are checked (422 at `body.contactId`), the mailbox's " +
    "daily cap applies (429 with Retry-After), replies thread back through the reply-to address, links are " +
    "tracked and an unsubscribe link is added. A refusal by the mail server or provider is a 502 problem with " +
    "its answer; the message stays in the outbox as failed. Honours `Idempotency-Key`.",
  tags: ["Outreach"],
  ...access({ scope: "outreach:write" }),
  request: { body: { required: true, content: { "application/json": { schema: SendEmailBodySchema } } } },
  responses: {
    201: { description: "Sent", content: { "application/json": { schema: SentEmailSchema } } },
    ...openApiErrorResponses([502]),
  },
});

export function registerSendEmail(app: App): void {
  app.openapi(route, async (c) =>
    c.json(
      await sendContactEmail(
        tenantContext(c),
        {
          db: createDb(c.env.DB),
          secretsKey: c.env.SECRETS_KEY,
          publicApiUrl: c.env.PUBLIC_API_URL,
          inboundDomain: c.env.INBOUND_DOMAIN,
        },
        c.req.valid("json"),
      ),
      201,
    ),
  );
}
