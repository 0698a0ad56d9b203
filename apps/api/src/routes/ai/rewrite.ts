import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { editContent } from "@crm/services";
import type { App } from "../../app";
import { aiProviders } from "../../lib/ai";
import { access } from "../../lib/route";
import { EditedContentSchema, RewriteContentBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/ai/content/rewrite",
  operationId: "rewriteContent",
  summary: "A draft improved, shortened or rewritten in a tone, with every change listed",
  description:
    "`improve` fixes spacing, capitals and filler openers and asks directly; `shorten` drops filler and hedges " +
    "(an SMS or social post is cut to its limit at a word); `rewrite` changes greeting, sign-off and wording to the " +
    "tone. Nothing is stored.",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  request: { body: { required: true, content: { "application/json": { schema: RewriteContentBodySchema } } } },
  responses: {
    200: { description: "The edited draft", content: { "application/json": { schema: EditedContentSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerRewriteContent(app: App): void {
  app.openapi(route, async (c) => c.json(await editContent(aiProviders(c), c.req.valid("json")), 200));
}
