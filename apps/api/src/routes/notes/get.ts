import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getNote } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { NoteSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/notes/{id}",
  operationId: "getNote",
  summary: "One note",
  tags: ["Notes"],
  ...access({ scope: "notes:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The note", content: { "application/json": { schema: NoteSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetNote(app: App): void {
  app.openapi(route, async (c) => c.json(await getNote(tenantContext(c), c.req.valid("param").id), 200));
}
