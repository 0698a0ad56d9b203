import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { deleteStage } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { DeleteStageQuerySchema, StageParamsSchema } from "./schema";

const route = createRoute({
  method: "delete",
  path: "/api/v1/pipelines/{id}/stages/{stageId}",
  operationId: "deletePipelineStage",
  summary: "Delete a stage (owner/admin)",
  description:
    "A stage holding deals is a 409 (with `dealCount`) unless `moveDealsTo` names another stage of the pipeline: the deals " +
    "then move there in the same transaction, with their stage history. A pipeline keeps at least one stage.",
  tags: ["Pipelines"],
  ...access({ scope: "pipelines:write", role: "admin" }),
  request: { params: StageParamsSchema, query: DeleteStageQuerySchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses([409]),
  },
});

export function registerDeleteStage(app: App): void {
  app.openapi(route, async (c) => {
    const { id, stageId } = c.req.valid("param");
    await deleteStage(tenantContext(c), id, stageId, c.req.valid("query").moveDealsTo);
    return c.body(null, 204);
  });
}
