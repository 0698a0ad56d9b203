export { bulkLeads, type LeadBulkChanges, type LeadBulkRequest } from "./bulk";
export { convertLead, type ConvertLeadInput } from "./convert";
export type { LeadInput } from "./input";
export {
  defaultHighValueThreshold,
  type LeadListFilters,
  listLeads,
  listLeadStageHistory,
  type LeadView,
  leadViews,
} from "./list";
export { type LeadRow, type PublicLead, publicLead, publicLeadStageChange } from "./serialize";
export { assignLead, createLead, deleteLead, findVisibleLead, getLead, updateLead } from "./write";
