import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { updateRecommendationStatus } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { RecommendationSchema, RecommendationStatusBodySchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/ai/recommendations/{id}",
  operationId: "updateRecommendation",
  summary: "Move a recommendation: viewed, accepted, dismissed or completed",
  description:
    "Allowed moves: pending → viewed → accepted or dismissed; accepted → completed. Any other move, or viewing or " +
    "accepting an expired one, is a 422 at body.status saying why.",
  tags: ["AI"],
  ...access({ scope: "ai:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: RecommendationStatusBodySchema } } },
  },
  responses: {
    200: { description: "The recommendation moved", content: { "application/json": { schema: RecommendationSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerUpdateRecommendation(app: App): void {
  app.openapi(route, async (c) =>
    c.json(
      await updateRecommendationStatus(tenantContext(c), c.req.valid("param").id, c.req.valid("json").status),
      200,
    ),
  );
}
