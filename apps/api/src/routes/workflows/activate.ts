import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { setWorkflowActive } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { WorkflowSchema } from "./schema";

const switchRoute = (active: boolean) =>
  createRoute({
    method: "post",
    path: `/api/v1/workflows/{id}/${active ? "activate" : "deactivate"}`,
    operationId: active ? "activateWorkflow" : "deactivateWorkflow",
    summary: active
      ? "Turn a workflow on (owner/admin): events from now on start it; a schedule counts from now"
      : "Turn a workflow off (owner/admin); runs already started go on",
    tags: ["Workflows"],
    ...access({ scope: "workflows:write", role: "admin" }),
    request: { params: IdParamSchema },
    responses: {
      200: { description: "The workflow", content: { "application/json": { schema: WorkflowSchema } } },
      ...openApiErrorResponses(),
    },
  });

export function registerWorkflowActivation(app: App): void {
  for (const active of [true, false]) {
    app.openapi(switchRoute(active), async (c) =>
      c.json(await setWorkflowActive(tenantContext(c), c.req.valid("param").id, active), 200),
    );
  }
}
