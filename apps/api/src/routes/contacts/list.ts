import { createRoute, type z } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listContacts, listContactsJson, type TenantContext } from "@crm/services";
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

type ContactListQuery = z.infer<typeof ContactListQuerySchema>;

/** The service's filters and page for this query. */
function listArguments(query: ContactListQuery, url: string) {
  const { limit, cursor, sort, doNotContact, ...filters } = query;
  const listFilters = {
    ...recordListFilters(filters, url),
    doNotContact: doNotContact === undefined ? undefined : doNotContact === "true",
  };
  return [listFilters, { limit, cursor, sort }] as const;
}

/** A page of the list for this query as objects: the export's. */
export function contactPage(ctx: TenantContext, query: ContactListQuery, url: string) {
  return listContacts(ctx, ...listArguments(query, url));
}

export function registerListContacts(app: App): void {
  app.openapi(route, async (c) => {
    // The page's JSON written from the rows' values (listContactsJson): what c.json would send.
    const body = await listContactsJson(tenantContext(c), ...listArguments(c.req.valid("query"), c.req.url));
    // Typed as the route's response (ContactPageSchema), which the text is.
    return c.body(body, 200, { "content-type": "application/json" }) as never;
  });
}
