import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { createApiKey } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CreateApiKeyBodySchema, CreatedApiKeySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/api-keys",
  operationId: "createApiKey",
  summary: "Create an API key (owner/admin). The secret is in this response only.",
  tags: ["API keys"],
  ...access({ role: "admin", keys: false }),
  request: { body: { required: true, content: { "application/json": { schema: CreateApiKeyBodySchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: CreatedApiKeySchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerCreateApiKey(app: App): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const created = await createApiKey(tenantContext(c), {
      ...body,
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
    });
    return c.json(created, 201);
  });
}
