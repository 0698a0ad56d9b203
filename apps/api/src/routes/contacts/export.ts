import type { App } from "../../app";
import { registerCsvExport } from "../../lib/csv-export";
import { contactPage } from "./list";
import { ContactListQuerySchema, ContactSchema } from "./schema";

export function registerExportContacts(app: App): void {
  registerCsvExport(app, {
    objectType: "contact",
    plural: "contacts",
    tag: "Contacts",
    scope: "contacts:read",
    querySchema: ContactListQuerySchema,
    recordSchema: ContactSchema,
    page: contactPage,
  });
}
