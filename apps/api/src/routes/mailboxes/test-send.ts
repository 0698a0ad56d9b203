import { createRoute } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { openApiErrorResponses } from "@crm/errors";
import { sendMailboxTest } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { MailboxTestResultSchema, TestMailboxBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/mailboxes/{id}/test",
  operationId: "sendMailboxTest",
  summary: "Send a test message through the mailbox now (owner/admin)",
  description:
    "200 when the server or provider accepted it; otherwise a 502 problem whose `detail` is its answer, with " +
    "`transport`, `providerCode` (SMTP reply code or Postmark ErrorCode) and `permanent`.",
  tags: ["Mailboxes"],
  ...access({ scope: "outreach:write", role: "admin" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: TestMailboxBodySchema } } },
  },
  responses: {
    200: {
      description: "Accepted by the transport",
      content: { "application/json": { schema: MailboxTestResultSchema } },
    },
    ...openApiErrorResponses([502]),
  },
});

export function registerSendMailboxTest(app: App): void {
  app.openapi(route, async (c) =>
    c.json(
      await sendMailboxTest(tenantContext(c), c.req.valid("param").id, c.req.valid("json"), {
        secretsKey: c.env.SECRETS_KEY,
        db: createDb(c.env.DB),
      }),
      200,
    ),
  );
}
