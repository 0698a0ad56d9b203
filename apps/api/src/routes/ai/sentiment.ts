import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import type { App } from "../../app";
import { aiProviders } from "../../lib/ai";
import { access } from "../../lib/route";
import { SentimentBodySchema, SentimentSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/ai/sentiment",
  operationId: "analyseSentiment",
  summary: "The sentiment of a text, with the words behind it (nothing is stored)",
  description:
    "Label (very_negative … very_positive), a score from -1 to 1, emotions, key phrases and urgency, with the " +
    "explanation, factors and the engine that answered. Notes, activities and email replies get theirs stored " +
    "when written (GET /api/v1/ai/outputs).",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  request: { body: { required: true, content: { "application/json": { schema: SentimentBodySchema } } } },
  responses: {
    200: { description: "The sentiment", content: { "application/json": { schema: SentimentSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerAnalyseSentiment(app: App): void {
  app.openapi(route, async (c) => c.json(await aiProviders(c).sentiment.analyse(c.req.valid("json").text), 200));
}
