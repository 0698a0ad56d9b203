import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { reorderStages } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { PipelineSchema, ReorderStagesBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/pipelines/{id}/stages/reorder",
  operationId: "reorderPipelineStages",
  summary: "Put a pipeline's stages in a new order (owner/admin)",
  description:
    "`stageIds` must name every stage of the pipeline exactly once (422 at `body.stageIds.<index>` otherwise).",
  tags: ["Pipelines"],
  ...access({ scope: "pipelines:write", role: "admin" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: ReorderStagesBodySchema } } },
  },
  responses: {
    200: {
      description: "The pipeline with its stages in the new order",
      content: { "application/json": { schema: PipelineSchema } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerReorderStages(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await reorderStages(tenantContext(c), c.req.valid("param").id, c.req.valid("json").stageIds), 200),
  );
}
