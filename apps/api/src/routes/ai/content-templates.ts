import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { contentTemplateStats } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { ContentTemplateStatsSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/ai/content/templates",
  operationId: "listContentTemplateStats",
  summary: "The templates (sequence step variants) best first: usage, reply rate and ratings",
  description:
    "Per variant of every live sequence step: times content was generated from it, messages sent, replies, the " +
    "reply rate with the lower end of its 95% Wilson interval, and the average of people's ratings of content " +
    "generated from it. Ranked on that lower bound (then rating, then sends), so few sends cannot win on luck; " +
    "the explanation says why the first is first.",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  responses: {
    200: {
      description: "The ranked templates",
      content: { "application/json": { schema: ContentTemplateStatsSchema } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerContentTemplateStats(app: App): void {
  app.openapi(route, async (c) => c.json(await contentTemplateStats(tenantContext(c)), 200));
}
