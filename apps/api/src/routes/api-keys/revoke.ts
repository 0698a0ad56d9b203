import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { revokeApiKey } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ApiKeySchema } from "./schema";

const route = createRoute({
  method: "delete",
  path: "/api/v1/api-keys/{id}",
  operationId: "revokeApiKey",
  summary: "Revoke an API key: calls with it are refused from now on",
  tags: ["API keys"],
  ...access({ role: "admin", keys: false }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The revoked key", content: { "application/json": { schema: ApiKeySchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerRevokeApiKey(app: App): void {
  app.openapi(route, async (c) => c.json(await revokeApiKey(tenantContext(c), c.req.valid("param").id), 200));
}
