import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listAiOutputs } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { AiOutputListQuerySchema, AiOutputListSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/ai/outputs",
  operationId: "listAiOutputs",
  summary: "What the AI engine stored about a note, an activity or an inbound email, newest first",
  description:
    "Sentiment (notes, activities, inbound emails) and reply classes (inbound emails), each with its explanation, " +
    "factors and engine. A subject that is unknown, another organization's or on a record hidden from you is a 404.",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  request: { query: AiOutputListQuerySchema },
  responses: {
    200: { description: "The outputs", content: { "application/json": { schema: AiOutputListSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListAiOutputs(app: App): void {
  app.openapi(route, async (c) => c.json(await listAiOutputs(tenantContext(c), c.req.valid("query")), 200));
}
