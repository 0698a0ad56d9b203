import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getWorkflow } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { WorkflowSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/workflows/{id}",
  operationId: "getWorkflow",
  summary: "One workflow with its current version's definition",
  tags: ["Workflows"],
  ...access({ scope: "workflows:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The workflow", content: { "application/json": { schema: WorkflowSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetWorkflow(app: App): void {
  app.openapi(route, async (c) => c.json(await getWorkflow(tenantContext(c), c.req.valid("param").id), 200));
}
