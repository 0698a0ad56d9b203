import type { App } from "../../app";
import { registerCampaignAnalytics, registerCompareCampaigns } from "./analytics";
import { registerCloneCampaign } from "./clone";
import { registerCreateCampaign } from "./create";
import { registerDeleteCampaign } from "./delete";
import { registerGetCampaign } from "./get";
import { registerCampaignLifecycle } from "./lifecycle";
import { registerListCampaigns } from "./list";
import { registerCampaignTestSend } from "./test-send";
import { registerUpdateCampaign } from "./update";

export function registerCampaignRoutes(app: App): void {
  registerCompareCampaigns(app);
  registerCreateCampaign(app);
  registerListCampaigns(app);
  registerGetCampaign(app);
  registerUpdateCampaign(app);
  registerDeleteCampaign(app);
  registerCampaignLifecycle(app);
  registerCloneCampaign(app);
  registerCampaignAnalytics(app);
  registerCampaignTestSend(app);
}
