import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { deleteSequence } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/sequences/{id}",
  operationId: "deleteSequence",
  summary: "Delete a sequence; its live enrollments end (exit reason sequence_archived)",
  tags: ["Sequences"],
  ...access({ scope: "sequences:write" }),
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses(),
  },
});

export function registerDeleteSequence(app: App): void {
  app.openapi(route, async (c) => {
    await deleteSequence(tenantContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
