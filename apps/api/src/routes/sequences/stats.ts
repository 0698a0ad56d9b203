import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { sequenceStats } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { SequenceStatsSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/sequences/{id}/stats",
  operationId: "getSequenceStats",
  summary: "Per step and variant: sent, opened, clicked, replied, bounced, unsubscribed, skipped, failed",
  description: "Each message counts once per measure (a message opened three times is one open).",
  tags: ["Sequences"],
  ...access({ scope: "sequences:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The counts", content: { "application/json": { schema: SequenceStatsSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerSequenceStats(app: App): void {
  app.openapi(route, async (c) => c.json(await sequenceStats(tenantContext(c), c.req.valid("param").id), 200));
}
