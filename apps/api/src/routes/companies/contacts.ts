import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listCompanyContacts } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { recordListFilters } from "../../lib/list-query";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ContactListQuerySchema, ContactPageSchema, contactSortDescription } from "../contacts/schema";

const CompanyContactsQuerySchema = ContactListQuerySchema.omit({ companyId: true });

const route = createRoute({
  method: "get",
  path: "/api/v1/companies/{id}/contacts",
  operationId: "listCompanyContacts",
  summary: "The company's contacts, with the contact list's filters and sorts",
  description: contactSortDescription,
  tags: ["Companies"],
  ...access({ scope: "contacts:read" }),
  request: { params: IdParamSchema, query: CompanyContactsQuerySchema },
  responses: {
    200: { description: "A page of contacts", content: { "application/json": { schema: ContactPageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListCompanyContacts(app: App): void {
  app.openapi(route, async (c) => {
    const { limit, cursor, sort, doNotContact, ...filters } = c.req.valid("query");
    const page = await listCompanyContacts(
      tenantContext(c),
      c.req.valid("param").id,
      {
        ...recordListFilters(filters, c.req.url),
        doNotContact: doNotContact === undefined ? undefined : doNotContact === "true",
      },
      { limit, cursor, sort },
    );
    return c.json(page, 200);
  });
}
