import type { leadStageHistory, leads } from "@crm/db";

export type LeadRow = typeof leads.$inferSelect;
export type LeadStageChangeRow = typeof leadStageHistory.$inferSelect;

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** A lead as the API shows it: camelCase, ISO-8601 times, always `tags` and `customFields`. */
export function publicLead(row: LeadRow) {
  return {
    id: row.id,
    firstName: row.firstName,
    lastName: row.lastName,
    email: row.email,
    phone: row.phone,
    companyName: row.companyName,
    companyDomain: row.companyDomain,
    title: row.title,
    stage: row.stage,
    stageChangedAt: row.stageChangedAt.toISOString(),
    lostReason: row.lostReason,
    source: row.source,
    estimatedValue: row.estimatedValue,
    ownerId: row.ownerId,
    tags: row.tags,
    customFields: row.customFields,
    convertedAt: iso(row.convertedAt),
    convertedContactId: row.convertedContactId,
    convertedCompanyId: row.convertedCompanyId,
    convertedDealId: row.convertedDealId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicLead = ReturnType<typeof publicLead>;

export function publicLeadStageChange(row: LeadStageChangeRow) {
  return {
    id: row.id,
    leadId: row.leadId,
    fromStage: row.fromStage,
    toStage: row.toStage,
    reason: row.reason,
    changedBy: row.changedBy,
    changedAt: row.changedAt.toISOString(),
  };
}

/** "Ada Lovelace", else the email, else the company: how a lead is named in messages. */
export function leadDisplayName(row: Pick<LeadRow, "firstName" | "lastName" | "email" | "companyName" | "id">): string {
  const name = [row.firstName, row.lastName].filter(Boolean).join(" ").trim();
  return name || row.email || row.companyName || row.id;
}
