import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listNotes } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { NoteListQuerySchema, NotePageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/notes",
  operationId: "listNotes",
  summary: "A record's notes, newest first",
  description:
    "A record that is unknown, another organization's, or hidden from the caller by record visibility has no notes to show: an empty page.",
  tags: ["Notes"],
  ...access({ scope: "notes:read" }),
  request: { query: NoteListQuerySchema },
  responses: {
    200: { description: "A page of notes", content: { "application/json": { schema: NotePageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListNotes(app: App): void {
  app.openapi(route, async (c) => {
    const { limit, cursor, recordType, recordId } = c.req.valid("query");
    return c.json(await listNotes(tenantContext(c), { recordType, recordId }, { limit, cursor }), 200);
  });
}
