import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getRecommendation } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { RecommendationSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/ai/recommendations/{id}",
  operationId: "getRecommendation",
  summary: "One recommendation with its explanation and factors",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The recommendation", content: { "application/json": { schema: RecommendationSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetRecommendation(app: App): void {
  app.openapi(route, async (c) => c.json(await getRecommendation(tenantContext(c), c.req.valid("param").id), 200));
}
