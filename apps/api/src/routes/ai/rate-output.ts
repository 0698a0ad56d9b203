import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { rateAiOutput } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { AiOutputSchema, RateAiOutputBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/ai/outputs/{id}/rating",
  operationId: "rateAiOutput",
  summary: "Rate an AI output 1 to 5 stars, with an optional comment",
  description:
    "Rating again replaces the earlier rating. Ratings of generated content are averaged per template in " +
    "GET /ai/content/templates.",
  tags: ["AI"],
  ...access({ scope: "ai:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: RateAiOutputBodySchema } } },
  },
  responses: {
    200: { description: "The output with its rating", content: { "application/json": { schema: AiOutputSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerRateAiOutput(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await rateAiOutput(tenantContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
