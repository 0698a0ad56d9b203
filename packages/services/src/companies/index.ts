export { bulkCompanies, type CompanyBulkChanges, type CompanyBulkRequest } from "./bulk";
export type { CompanyInput } from "./input";
export { type CompanyListFilters, listCompanies, listCompanyContacts, listCompanyDeals } from "./list";
export { companySearchText, type CompanyRow, type PublicCompany, publicCompany } from "./public";
export { createCompany, deleteCompany, findVisibleCompany, getCompany, updateCompany } from "./write";
