import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getSequence } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { SequenceSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/sequences/{id}",
  operationId: "getSequence",
  summary: "One sequence with its steps in order",
  tags: ["Sequences"],
  ...access({ scope: "sequences:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The sequence", content: { "application/json": { schema: SequenceSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetSequence(app: App): void {
  app.openapi(route, async (c) => c.json(await getSequence(tenantContext(c), c.req.valid("param").id), 200));
}
