import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { startManualRun } from "@crm/services";
import type { App } from "../../app";
import { enqueueRun } from "../../jobs/workflow-jobs";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ExecutionSchema, RunWorkflowBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/workflows/{id}/run",
  operationId: "runWorkflow",
  summary: "Run a workflow now on one record (owner/admin), also when it is inactive, to try it",
  description:
    "Answers 202 with the run, which then goes through the queue: follow it with GET " +
    "/workflows/{id}/executions/{executionId}. `recordId` is required unless the trigger is `schedule`.",
  tags: ["Workflows"],
  ...access({ scope: "workflows:write", role: "admin" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: RunWorkflowBodySchema } } },
  },
  responses: {
    202: { description: "The run, queued", content: { "application/json": { schema: ExecutionSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerRunWorkflow(app: App): void {
  app.openapi(route, async (c) => {
    const ctx = tenantContext(c);
    const execution = await startManualRun(ctx, c.req.valid("param").id, c.req.valid("json").recordId);
    await enqueueRun(c.env.JOBS, ctx.tenant.id, execution.id);
    return c.json(execution, 202);
  });
}
