import { createRoute, type z } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listContacts, type TenantContext } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { customFieldFilterDescription, recordListFilters } from "../../lib/list-query";
import { access } from "../../lib/route";
import { ContactListQuerySchema, ContactPageSchema, contactSortDescription } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/contacts",
  operationId: "listContacts",
  summary: "List, filter and search contacts",
  description:
    "Filters combine with AND. `q` searches names, every email, phones, title and the company's name. " +
    `${contactSortDescription} ${customFieldFilterDescription} Pages are keyset-based: a \`nextCursor\` stays valid ` +
    "while contacts are added. Members whose role sees only their own records get only those.",
  tags: ["Contacts"],
  ...access({ scope: "contacts:read" }),
  request: { query: ContactListQuerySchema },
  responses: {
    200: { description: "A page of contacts", content: { "application/json": { schema: ContactPageSchema } } },
    ...openApiErrorResponses(),
  },
});

/** A page of the list for this query: the list route's and the export's. */
export function contactPage(ctx: TenantContext, query: z.infer<typeof ContactListQuerySchema>, url: string) {
  const { limit, cursor, sort, doNotContact, ...filters } = query;
  return listContacts(
    ctx,
    {
      ...recordListFilters(filters, url),
      doNotContact: doNotContact === undefined ? undefined : doNotContact === "true",
    },
    { limit, cursor, sort },
  );
}

export function registerListContacts(app: App): void {
  app.openapi(route, async (c) => c.json(await contactPage(tenantContext(c), c.req.valid("query"), c.req.url), 200));
}
