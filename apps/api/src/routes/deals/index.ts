import type { App } from "../../app";
import { registerBulkDeals } from "./bulk";
import { registerCreateDeal } from "./create";
import { registerDeleteDeal } from "./delete";
import { registerGetDeal } from "./get";
import { registerListDeals } from "./list";
import { registerMoveDealStage } from "./move-stage";
import { registerDealStageHistory } from "./stage-history";
import { registerUpdateDeal } from "./update";
import { registerExportDeals } from "./export";

export function registerDealRoutes(app: App): void {
  registerListDeals(app);
  registerExportDeals(app);
  registerCreateDeal(app);
  registerBulkDeals(app);
  registerGetDeal(app);
  registerUpdateDeal(app);
  registerDeleteDeal(app);
  registerMoveDealStage(app);
  registerDealStageHistory(app);
}
