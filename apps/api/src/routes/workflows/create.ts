import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { createWorkflow, urlPolicyFor } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CreateWorkflowBodySchema, WorkflowSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/workflows",
  operationId: "createWorkflow",
  summary: "Create a workflow (owner/admin); version 1, inactive unless `active` is true",
  description:
    "422 at the field at fault for: a field the object does not have, an operator that does not fit the " +
    "field's type, stage.entered on another object or a stage outside the pipeline, a bad cron expression " +
    "or time zone, a user id that is not a member, a `{{record.x}}` token naming no field, a webhook URL " +
    "outside the URL policy.",
  tags: ["Workflows"],
  ...access({ scope: "workflows:write", role: "admin" }),
  request: { body: { required: true, content: { "application/json": { schema: CreateWorkflowBodySchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: WorkflowSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerCreateWorkflow(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await createWorkflow(tenantContext(c), c.req.valid("json"), urlPolicyFor(c.env.ENVIRONMENT)), 201),
  );
}
