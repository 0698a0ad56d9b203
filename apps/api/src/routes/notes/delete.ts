import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { deleteNote } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";

const route = createRoute({
  method: "delete",
  path: "/api/v1/notes/{id}",
  operationId: "deleteNote",
  summary: "Delete a note (its author, an owner or an admin)",
  tags: ["Notes"],
  ...access({ scope: "notes:write" }),
  request: { params: IdParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses(),
  },
});

export function registerDeleteNote(app: App): void {
  app.openapi(route, async (c) => {
    await deleteNote(tenantContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
