import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listWorkflowVersions } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { WorkflowVersionListSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/workflows/{id}/versions",
  operationId: "listWorkflowVersions",
  summary: "Every saved version of a workflow's definition, newest first",
  tags: ["Workflows"],
  ...access({ scope: "workflows:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The versions", content: { "application/json": { schema: WorkflowVersionListSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListWorkflowVersions(app: App): void {
  app.openapi(route, async (c) => c.json(await listWorkflowVersions(tenantContext(c), c.req.valid("param").id), 200));
}
