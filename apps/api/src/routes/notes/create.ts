import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { createNote } from "@crm/services";
import type { App } from "../../app";
import { aiProviders } from "../../lib/ai";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CreateNoteBodySchema, NoteSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/notes",
  operationId: "createNote",
  summary: "Write a note on a record; the author is the caller",
  description:
    "The record must exist in this organization (422 at `body.recordId`). The note's text becomes searchable " +
    "through the record's list (`q=`).",
  tags: ["Notes"],
  ...access({ scope: "notes:write" }),
  request: { body: { required: true, content: { "application/json": { schema: CreateNoteBodySchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: NoteSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerCreateNote(app: App): void {
  app.openapi(route, async (c) => c.json(await createNote(tenantContext(c), c.req.valid("json"), aiProviders(c)), 201));
}
