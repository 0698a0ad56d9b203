import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { updateNote } from "@crm/services";
import type { App } from "../../app";
import { aiProviders } from "../../lib/ai";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { NoteSchema, UpdateNoteBodySchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/notes/{id}",
  operationId: "updateNote",
  summary: "Rewrite a note (its author, an owner or an admin)",
  tags: ["Notes"],
  ...access({ scope: "notes:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: UpdateNoteBodySchema } } },
  },
  responses: {
    200: { description: "The note as changed", content: { "application/json": { schema: NoteSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerUpdateNote(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await updateNote(tenantContext(c), c.req.valid("param").id, c.req.valid("json"), aiProviders(c)), 200),
  );
}
