import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { pendingRecommendationCount, runRecommendChunks } from "@crm/services";
import type { App } from "../../app";
import { enqueueRecommend } from "../../jobs/recommendation-jobs";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { RecommendationRefreshSchema } from "./schema";

/** What one request decides before queuing the rest: 10 chunks of 100 records. */
const requestBudget = { chunks: 10, ms: 10_000 };

const route = createRoute({
  method: "post",
  path: "/api/v1/ai/recommendations/refresh",
  operationId: "refreshRecommendations",
  summary: "Regenerate the organization's recommendations now",
  description:
    "Decides every open contact, lead and deal as the hourly run does and answers the counts. Up to 1,000 records " +
    "are decided in the request; beyond that the rest is queued and `complete` is false.",
  tags: ["AI"],
  ...access({ scope: "ai:write" }),
  responses: {
    200: { description: "What changed", content: { "application/json": { schema: RecommendationRefreshSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerRefreshRecommendations(app: App): void {
  app.openapi(route, async (c) => {
    const ctx = tenantContext(c);
    const at = new Date();
    const { counts, next } = await runRecommendChunks(ctx, { recordType: "contact", afterId: null }, at, requestBudget);
    if (next) await enqueueRecommend(c.env.JOBS, ctx.tenant.id, at, next);
    return c.json({ ...counts, pending: await pendingRecommendationCount(ctx), complete: next === null }, 200);
  });
}
