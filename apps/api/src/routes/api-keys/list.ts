import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listApiKeys } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { PageQuerySchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ApiKeyPageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/api-keys",
  operationId: "listApiKeys",
  summary: "List the tenant's API keys, newest first (never their secrets)",
  tags: ["API keys"],
  ...access({ role: "admin", keys: false }),
  request: { query: PageQuerySchema },
  responses: {
    200: { description: "A page of keys", content: { "application/json": { schema: ApiKeyPageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListApiKeys(app: App): void {
  app.openapi(route, async (c) => c.json(await listApiKeys(tenantContext(c), c.req.valid("query")), 200));
}
