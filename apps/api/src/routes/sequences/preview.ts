import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { previewSequence } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { PreviewBodySchema, PreviewSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/sequences/{id}/preview",
  operationId: "previewSequence",
  summary: "Every step's variants rendered for one contact, as they would be sent",
  tags: ["Sequences"],
  ...access({ scope: "sequences:read" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: PreviewBodySchema } } },
  },
  responses: {
    200: { description: "The rendered steps", content: { "application/json": { schema: PreviewSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerPreviewSequence(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await previewSequence(tenantContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
