import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listLifecycleHistory } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema, PageQuerySchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { LifecycleChangePageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/contacts/{id}/lifecycle-history",
  operationId: "listContactLifecycleHistory",
  summary: "Every lifecycle stage the contact entered, and when, oldest first",
  tags: ["Contacts"],
  ...access({ scope: "contacts:read" }),
  request: { params: IdParamSchema, query: PageQuerySchema },
  responses: {
    200: {
      description: "A page of stage changes",
      content: { "application/json": { schema: LifecycleChangePageSchema } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerContactLifecycleHistory(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await listLifecycleHistory(tenantContext(c), c.req.valid("param").id, c.req.valid("query")), 200),
  );
}
