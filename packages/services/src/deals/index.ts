export { bulkDeals, type DealBulkChanges, type DealBulkRequest } from "./bulk";
export type { DealInput, DealStatus } from "./input";
export { type DealListFilters, listDeals } from "./list";
export { listDealStageHistory, moveDealStage, type MoveStageInput } from "./move-stage";
export { type DealRow, type PublicDeal, publicDeal } from "./serialize";
export { createDeal, type CreateDealInput, deleteDeal, findVisibleDeal, getDeal, updateDeal } from "./write";
