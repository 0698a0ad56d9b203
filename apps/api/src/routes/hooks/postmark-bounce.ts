import { createRoute, z } from "@hono/zod-openapi";
import { createDb, tenantDb } from "@crm/db";
import { ApiError, openApiErrorResponses } from "@crm/errors";
import { receivePostmarkBounce, systemContext, verifyPostmarkHookToken } from "@crm/services";
import type { App } from "../../app";
import { access } from "../../lib/route";
import { queueEventDispatch } from "../../lib/queue-event-dispatch";

const PostmarkBounceSchema = z
  .object({
    RecordType: z.string().max(64).openapi({ example: "Bounce" }),
    Type: z.string().max(64).optional().openapi({ example: "HardBounce" }),
    TypeCode: z.number().int().optional().openapi({ example: 1 }),
    MessageID: z.string().max(200).optional().openapi({ example: "883953f4-6105-42a2-a16a-77a8eac79483" }),
    Email: z.string().max(320).optional().openapi({ example: "ana@acme.example" }),
    BouncedAt: z.string().max(64).optional().openapi({ example: "2026-12-01T10:00:00.907Z" }),
    Description: z.string().max(2000).optional(),
    Details: z.string().max(10_000).optional().openapi({ example: "smtp;550 5.1.1 The email account does not exist" }),
    Inactive: z.boolean().optional().openapi({ description: "Postmark deactivated the address (a permanent bounce)" }),
  })
  .openapi("PostmarkBounce");

const route = createRoute({
  method: "post",
  path: "/hooks/postmark/{mailboxId}",
  operationId: "receivePostmarkBounce",
  summary: "Postmark's bounce webhook for one mailbox (URL with its signed token, shown with the mailbox)",
  description:
    "Postmark POSTs its documented bounce JSON here. A bounce of a message sent through this mailbox is " +
    "recorded (permanent ones suppress the address and end the contact's enrollments); other record types " +
    "and unknown messages are acknowledged with `ignored`.",
  tags: ["Outreach"],
  ...access({ public: true }),
  request: {
    params: z.object({
      mailboxId: z
        .string()
        .max(64)
        .regex(/^[a-z]+_[0-9a-z]+$/, "Not an id")
        .openapi({ param: { name: "mailboxId", in: "path" }, example: "mbx_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    }),
    query: z.object({
      token: z
        .string()
        .max(200)
        .openapi({ param: { name: "token", in: "query" }, description: "The signed token of the mailbox's hook URL" }),
    }),
    body: { required: true, content: { "application/json": { schema: PostmarkBounceSchema } } },
  },
  responses: {
    200: {
      description: "Received",
      content: {
        "application/json": {
          schema: z.object({
            outcome: z.enum(["recorded", "already_recorded", "ignored"]),
            messageId: z.string().nullable().openapi({ example: "om_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
          }),
        },
      },
    },
    ...openApiErrorResponses(),
  },
});

export function registerPostmarkBounceHook(app: App): void {
  app.openapi(route, async (c) => {
    const { mailboxId } = c.req.valid("param");
    const tenantId = verifyPostmarkHookToken(c.env.SECRETS_KEY, mailboxId, c.req.valid("query").token);
    if (!tenantId) throw new ApiError("UNAUTHORIZED", "The token does not belong to this mailbox's hook URL");
    let recorded = false;
    const ctx = systemContext(tenantDb(createDb(c.env.DB), tenantId), "postmark-webhook", c.get("requestId"), () => {
      recorded = true;
    });
    const result = await receivePostmarkBounce(ctx, mailboxId, c.req.valid("json"));
    if (recorded) c.executionCtx.waitUntil(queueEventDispatch(c.env, tenantId, c.get("requestId")));
    return c.json(result, 200);
  });
}
