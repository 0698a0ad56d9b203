import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listRecommendations } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { RecommendationListQuerySchema, RecommendationListSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/ai/recommendations",
  operationId: "listRecommendations",
  summary: "Recommendations (next best actions offered to people), highest priority first",
  description:
    "Generated every hour for each open contact, lead and deal, one pending per record and action. Only those on " +
    "records you can see.",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  request: { query: RecommendationListQuerySchema },
  responses: {
    200: { description: "A page", content: { "application/json": { schema: RecommendationListSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListRecommendations(app: App): void {
  app.openapi(route, async (c) => c.json(await listRecommendations(tenantContext(c), c.req.valid("query")), 200));
}
