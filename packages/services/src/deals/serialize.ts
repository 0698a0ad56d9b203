import type { deals } from "@crm/db";

export type DealRow = typeof deals.$inferSelect;

export function publicDeal(row: DealRow) {
  return {
    id: row.id,
    name: row.name,
    contactId: row.contactId ?? null,
    companyId: row.companyId ?? null,
    pipelineId: row.pipelineId,
    stageId: row.stageId,
    stageEnteredAt: row.stageEnteredAt.toISOString(),
    status: row.status,
    value: row.value,
    currency: row.currency,
    expectedCloseDate: row.expectedCloseDate ?? null,
    closedAt: row.closedAt?.toISOString() ?? null,
    probability: row.probability ?? null,
    nextActionAt: row.nextActionAt?.toISOString() ?? null,
    lostReason: row.lostReason ?? null,
    ownerId: row.ownerId ?? null,
    tags: row.tags,
    customFields: row.customFields,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicDeal = ReturnType<typeof publicDeal>;
