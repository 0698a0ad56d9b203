import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { updateWorkflow, urlPolicyFor } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { UpdateWorkflowBodySchema, WorkflowSchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/workflows/{id}",
  operationId: "updateWorkflow",
  summary: "Rename, describe or change a workflow (owner/admin)",
  description:
    "A change to object, trigger, conditions or actions saves a new version (version + 1); runs already " +
    "started finish on the version they started with.",
  tags: ["Workflows"],
  ...access({ scope: "workflows:write", role: "admin" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: UpdateWorkflowBodySchema } } },
  },
  responses: {
    200: { description: "The workflow as changed", content: { "application/json": { schema: WorkflowSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerUpdateWorkflow(app: App): void {
  app.openapi(route, async (c) =>
    c.json(
      await updateWorkflow(
        tenantContext(c),
        c.req.valid("param").id,
        c.req.valid("json"),
        urlPolicyFor(c.env.ENVIRONMENT),
      ),
      200,
    ),
  );
}
