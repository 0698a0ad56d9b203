import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getModel } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { AiModelSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/ai/models/{id}",
  operationId: "getAiModel",
  summary: "One trained model: its outcome, fields, engine and holdout figures",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The model", content: { "application/json": { schema: AiModelSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetModel(app: App): void {
  app.openapi(route, async (c) => c.json(await getModel(tenantContext(c), c.req.valid("param").id), 200));
}
