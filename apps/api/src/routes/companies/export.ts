import type { App } from "../../app";
import { registerCsvExport } from "../../lib/csv-export";
import { companyPage } from "./list";
import { CompanyListQuerySchema, CompanySchema } from "./schema";

export function registerExportCompanies(app: App): void {
  registerCsvExport(app, {
    objectType: "company",
    plural: "companies",
    tag: "Companies",
    scope: "companies:read",
    querySchema: CompanyListQuerySchema,
    recordSchema: CompanySchema,
    page: companyPage,
  });
}
