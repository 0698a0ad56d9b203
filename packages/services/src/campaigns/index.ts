export { audienceFilterNames, checkAudience, enrollAudienceQueries, firstDueAt } from "./audience";
export {
  cloneCampaign,
  createCampaign,
  deleteCampaign,
  findCampaign,
  getCampaign,
  listCampaigns,
  pauseCampaign,
  type PublicCampaign,
  resumeCampaign,
  startCampaign,
  updateCampaign,
} from "./campaigns";
export { campaignAnalytics, campaignTimeSeries, compareCampaigns } from "./analytics";
