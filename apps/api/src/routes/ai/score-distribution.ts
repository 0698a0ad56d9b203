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
  summary: "How the organization's stored lead scores (or churn risks) spread: histogram, levels, top records",
  description:
    "Counts the stored scores of `kind` of the contacts, or with `recordType=lead` of the leads (scores are " +
    "stored when a record is scored or rescored): ten 10-point bins each split by level, the count per level, " +
    "and the ten highest-scored records. Records the caller may not see, and deleted ones, are left out. Leads " +
    "have lead scores only.",
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
  app.openapi(route, async (c) => {
    const { kind, recordType } = c.req.valid("query");
    return c.json(await scoreDistribution(tenantContext(c), kind, recordType), 200);
  });
}
