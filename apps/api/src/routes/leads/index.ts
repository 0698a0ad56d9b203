import type { App } from "../../app";
import { registerAssignLead } from "./assign";
import { registerBulkLeads } from "./bulk";
import { registerConvertLead } from "./convert";
import { registerCreateLead } from "./create";
import { registerDeleteLead } from "./delete";
import { registerGetLead } from "./get";
import { registerListLeads } from "./list";
import { registerLeadStageHistory } from "./stage-history";
import { registerUpdateLead } from "./update";
import { registerExportLeads } from "./export";

export function registerLeadRoutes(app: App): void {
  registerListLeads(app);
  registerExportLeads(app);
  registerCreateLead(app);
  registerBulkLeads(app);
  registerGetLead(app);
  registerUpdateLead(app);
  registerDeleteLead(app);
  registerAssignLead(app);
  registerLeadStageHistory(app);
  registerConvertLead(app);
}
