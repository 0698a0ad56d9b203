import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listWorkflows } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { WorkflowListQuerySchema, WorkflowPageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/workflows",
  operationId: "listWorkflows",
  summary: "List the tenant's workflows, newest first",
  tags: ["Workflows"],
  ...access({ scope: "workflows:read" }),
  request: { query: WorkflowListQuerySchema },
  responses: {
    200: { description: "A page of workflows", content: { "application/json": { schema: WorkflowPageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListWorkflows(app: App): void {
  app.openapi(route, async (c) => c.json(await listWorkflows(tenantContext(c), c.req.valid("query")), 200));
}
