import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getAgentDecision } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { AgentDecisionSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/ai/agent/decisions/{id}",
  operationId: "getAgentDecision",
  summary: "One decision of the pipeline agent, with its reasoning, inputs, engine and outcome",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The decision", content: { "application/json": { schema: AgentDecisionSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetAgentDecision(app: App): void {
  app.openapi(route, async (c) => c.json(await getAgentDecision(tenantContext(c), c.req.valid("param").id), 200));
}
