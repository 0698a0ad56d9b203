import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { updateStage } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { StageParamsSchema, StageSchema, UpdateStageBodySchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/pipelines/{id}/stages/{stageId}",
  operationId: "updatePipelineStage",
  summary: "Change a stage's name, probability, won/lost flag, follow-up days or auto-actions (owner/admin)",
  description:
    "Deals already in the stage keep their status and probability; the new probability applies to deals entering it.",
  tags: ["Pipelines"],
  ...access({ scope: "pipelines:write", role: "admin" }),
  request: {
    params: StageParamsSchema,
    body: { required: true, content: { "application/json": { schema: UpdateStageBodySchema } } },
  },
  responses: {
    200: { description: "The stage as changed", content: { "application/json": { schema: StageSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerUpdateStage(app: App): void {
  app.openapi(route, async (c) => {
    const { id, stageId } = c.req.valid("param");
    return c.json(await updateStage(tenantContext(c), id, stageId, c.req.valid("json")), 200);
  });
}
