import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listSequences } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { SequenceListQuerySchema, SequencePageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/sequences",
  operationId: "listSequences",
  summary: "List the tenant's sequences with their steps, newest first",
  tags: ["Sequences"],
  ...access({ scope: "sequences:read" }),
  request: { query: SequenceListQuerySchema },
  responses: {
    200: { description: "A page of sequences", content: { "application/json": { schema: SequencePageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListSequences(app: App): void {
  app.openapi(route, async (c) => c.json(await listSequences(tenantContext(c), c.req.valid("query")), 200));
}
