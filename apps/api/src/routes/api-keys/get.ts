import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getApiKey } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ApiKeySchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/api-keys/{id}",
  operationId: "getApiKey",
  summary: "One API key",
  tags: ["API keys"],
  ...access({ role: "admin", keys: false }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The key", content: { "application/json": { schema: ApiKeySchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetApiKey(app: App): void {
  app.openapi(route, async (c) => c.json(await getApiKey(tenantContext(c), c.req.valid("param").id), 200));
}
