import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import type { App } from "../../app";
import { aiProviders } from "../../lib/ai";
import { access } from "../../lib/route";
import { ClassifyReplyBodySchema, ReplyClassSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/ai/classify-reply",
  operationId: "classifyReply",
  summary: "The class of a reply to a sales email, how sure, and the suggested action (nothing is stored)",
  description:
    "Classes: interested, not_interested, question, out_of_office, unsubscribe_request, bounce_auto_reply, " +
    "referral. Inbound replies to outreach are classified when they arrive (GET /api/v1/outreach-messages/{id}).",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  request: { body: { required: true, content: { "application/json": { schema: ClassifyReplyBodySchema } } } },
  responses: {
    200: { description: "The class", content: { "application/json": { schema: ReplyClassSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerClassifyReply(app: App): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const classified = await aiProviders(c).classifyReply.classify({
      text: body.text,
      subject: body.subject ?? null,
      from: body.from ?? null,
      receivedAt: body.receivedAt ? new Date(body.receivedAt) : new Date(),
    });
    return c.json(classified, 200);
  });
}
