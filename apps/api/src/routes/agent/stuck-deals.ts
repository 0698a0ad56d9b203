import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { reviewStuckDeals } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { StuckDealReviewSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/ai/agent/stuck-deals",
  operationId: "getStuckDeals",
  summary: "The stuck-deal review as of now: open deals over their stage's typical time or without recent activity",
  description:
    "A stage's typical time is the median of finished stays in it (5 or more), else twice its follow-up days, else 30 days; " +
    "no activity for 14 days also makes a deal stuck. The 07 UTC review logs the same list as a `stuck_review` decision.",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  responses: {
    200: { description: "The review", content: { "application/json": { schema: StuckDealReviewSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerStuckDeals(app: App): void {
  app.openapi(route, async (c) => {
    const { at, openDeals, review, typicalStageTimes } = await reviewStuckDeals(tenantContext(c), new Date());
    return c.json(
      {
        at,
        openDeals,
        stuckDeals: review.result,
        typicalStageTimes,
        explanation: review.explanation,
        factors: review.factors,
        engine: review.engine,
      },
      200,
    );
  });
}
