import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listAgentDecisions } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { AgentDecisionListQuerySchema, AgentDecisionListSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/ai/agent/decisions",
  operationId: "listAgentDecisions",
  summary: "The pipeline agent's decision log, newest first",
  description: "Filters: `dealId`, `type`, `outcome`, `runId`. Each decision carries its reasoning, inputs and engine.",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  request: { query: AgentDecisionListQuerySchema },
  responses: {
    200: { description: "A page of decisions", content: { "application/json": { schema: AgentDecisionListSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListAgentDecisions(app: App): void {
  app.openapi(route, async (c) => c.json(await listAgentDecisions(tenantContext(c), c.req.valid("query")), 200));
}
