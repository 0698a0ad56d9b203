import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { cancelExecution, getExecution, listExecutions } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import {
  ExecutionListQuerySchema,
  ExecutionPageSchema,
  ExecutionParamsSchema,
  ExecutionSchema,
  ExecutionWithStepsSchema,
} from "./schema";

const listRoute = createRoute({
  method: "get",
  path: "/api/v1/workflows/{id}/executions",
  operationId: "listWorkflowExecutions",
  summary: "A workflow's run history, newest first (skipped runs say why)",
  tags: ["Workflows"],
  ...access({ scope: "workflows:read" }),
  request: { params: IdParamSchema, query: ExecutionListQuerySchema },
  responses: {
    200: { description: "A page of runs", content: { "application/json": { schema: ExecutionPageSchema } } },
    ...openApiErrorResponses(),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/api/v1/workflows/{id}/executions/{executionId}",
  operationId: "getWorkflowExecution",
  summary: "One run with each of its steps (output or error)",
  tags: ["Workflows"],
  ...access({ scope: "workflows:read" }),
  request: { params: ExecutionParamsSchema },
  responses: {
    200: { description: "The run", content: { "application/json": { schema: ExecutionWithStepsSchema } } },
    ...openApiErrorResponses(),
  },
});

const cancelRoute = createRoute({
  method: "post",
  path: "/api/v1/workflows/{id}/executions/{executionId}/cancel",
  operationId: "cancelWorkflowExecution",
  summary: "Cancel a running or waiting run (owner/admin); 409 once it has ended",
  tags: ["Workflows"],
  ...access({ scope: "workflows:write", role: "admin" }),
  request: { params: ExecutionParamsSchema },
  responses: {
    200: { description: "The run, cancelled", content: { "application/json": { schema: ExecutionSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerWorkflowExecutionRoutes(app: App): void {
  app.openapi(listRoute, async (c) =>
    c.json(await listExecutions(tenantContext(c), c.req.valid("param").id, c.req.valid("query")), 200),
  );
  app.openapi(getRoute, async (c) => {
    const { id, executionId } = c.req.valid("param");
    return c.json(await getExecution(tenantContext(c), id, executionId), 200);
  });
  app.openapi(cancelRoute, async (c) => {
    const { id, executionId } = c.req.valid("param");
    return c.json(await cancelExecution(tenantContext(c), id, executionId), 200);
  });
}
