import type { App } from "../../app";
import { registerCsvExport } from "../../lib/csv-export";
import { leadPage } from "./list";
import { LeadListQuerySchema, LeadSchema } from "./schema";

export function registerExportLeads(app: App): void {
  registerCsvExport(app, {
    objectType: "lead",
    plural: "leads",
    tag: "Leads",
    scope: "leads:read",
    querySchema: LeadListQuerySchema,
    recordSchema: LeadSchema,
    page: leadPage,
  });
}
