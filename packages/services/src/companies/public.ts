import type { companies } from "@crm/db";

export type CompanyRow = typeof companies.$inferSelect;

/** A company as the API shows it: camelCase, ISO-8601 times, always `tags` and `customFields`. */
export function publicCompany(row: CompanyRow) {
  return {
    id: row.id,
    name: row.name,
    domain: row.domain,
    industry: row.industry,
    size: row.size,
    annualRevenue: row.annualRevenue,
    website: row.website,
    domainAuthority: row.domainAuthority,
    ownerId: row.ownerId,
    tags: row.tags,
    customFields: row.customFields,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicCompany = ReturnType<typeof publicCompany>;

/** What full-text search sees of a company: its name, domain and industry. */
export function companySearchText(row: Pick<CompanyRow, "name" | "domain" | "industry">): string {
  return [row.name, row.domain, row.industry]
    .filter((part): part is string => !!part)
    .map((part) => part.replace(/\s+/g, " ").trim())
    .join(" ");
}

/** Whether a write would change nothing a client sees. */
export function sameCompany(before: CompanyRow, after: CompanyRow): boolean {
  return (
    JSON.stringify({ ...publicCompany(before), updatedAt: null }) ===
    JSON.stringify({ ...publicCompany(after), updatedAt: null })
  );
}
