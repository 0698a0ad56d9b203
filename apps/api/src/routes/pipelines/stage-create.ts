import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { addStage } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { CreateStageBodySchema, StageSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/pipelines/{id}/stages",
  operationId: "createPipelineStage",
  summary: "Add a stage to a pipeline (owner/admin)",
  description:
    "Inserted at `position` (default: last); later stages move down one. Stage names are unique within a pipeline (409).",
  tags: ["Pipelines"],
  ...access({ scope: "pipelines:write", role: "admin" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: CreateStageBodySchema } } },
  },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: StageSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerCreateStage(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await addStage(tenantContext(c), c.req.valid("param").id, c.req.valid("json")), 201),
  );
}
