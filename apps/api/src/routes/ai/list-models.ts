import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listModels } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { AiModelListQuerySchema, AiModelPageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/ai/models",
  operationId: "listAiModels",
  summary: "The organization's trained models, newest first (the one in use has status active)",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  request: { query: AiModelListQuerySchema },
  responses: {
    200: { description: "A page of models", content: { "application/json": { schema: AiModelPageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListModels(app: App): void {
  app.openapi(route, async (c) => {
    const { limit, cursor, kind } = c.req.valid("query");
    return c.json(
      await listModels(tenantContext(c), { limit, ...(cursor ? { cursor } : {}), ...(kind ? { kind } : {}) }),
      200,
    );
  });
}
