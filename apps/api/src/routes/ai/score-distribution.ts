import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { scoreDistribution } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { ScoreDistributionQuerySchema, ScoreDistributionSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/ai/scores/distribution",
  operationId: "getAiScoreDistribution",
  summary: "How the organization's stored lead scores (or churn risks) spread: histogram, levels, top contacts",
  description:
    "Counts the contacts' stored scores of `kind` (scores are stored when a contact is scored, read or rescored): " +
    "ten 10-point bins each split by level, the count per level, and the ten highest-scored contacts. Contacts " +
    "the caller may not see, and deleted ones, are left out.",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  request: { query: ScoreDistributionQuerySchema },
  responses: {
    200: {
      description: "The distribution",
      content: { "application/json": { schema: ScoreDistributionSchema } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerScoreDistribution(app: App): void {
  app.openapi(route, async (c) => c.json(await scoreDistribution(tenantContext(c), c.req.valid("query").kind), 200));
}
