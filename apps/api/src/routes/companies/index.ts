import type { App } from "../../app";
import { registerBulkCompanies } from "./bulk";
import { registerListCompanyContacts } from "./contacts";
import { registerCreateCompany } from "./create";
import { registerListCompanyDeals } from "./deals";
import { registerDeleteCompany } from "./delete";
import { registerGetCompany } from "./get";
import { registerListCompanies } from "./list";
import { registerUpdateCompany } from "./update";
import { registerExportCompanies } from "./export";

export function registerCompanyRoutes(app: App): void {
  registerListCompanies(app);
  registerExportCompanies(app);
  registerCreateCompany(app);
  registerBulkCompanies(app);
  registerGetCompany(app);
  registerUpdateCompany(app);
  registerDeleteCompany(app);
  registerListCompanyContacts(app);
  registerListCompanyDeals(app);
}
