export { audienceFilterNames, checkAudience, enrollAudience } from "./audience";
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
export { testSendCampaign } from "./test-send";
