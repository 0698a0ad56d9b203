import type { App } from "../app";
import { registerApiKeyRoutes } from "./api-keys";
import { registerAuditLogRoutes } from "./audit-log";
import { registerAuthRoutes } from "./auth";
import { registerCompanyRoutes } from "./companies";
import { registerContactRoutes } from "./contacts";
import { registerBenchRoutes } from "./bench";
import { registerDevRoutes } from "./dev";
import { registerHealthRoutes } from "./health";
import { registerInvitationRoutes } from "./invitations";
import { registerMemberRoutes } from "./members";
import { registerTenantRoutes } from "./tenants";
import { registerActivityRoutes } from "./activities";
import { registerCustomFieldRoutes } from "./custom-fields";
import { registerNoteRoutes } from "./notes";
import { registerSettingsRoutes } from "./settings";
import { registerTaskRoutes } from "./tasks";
import { registerTimelineRoutes } from "./timeline";
import { registerViewRoutes } from "./views";
import { registerDealRoutes } from "./deals";
import { registerLeadRoutes } from "./leads";
import { registerPipelineRoutes } from "./pipelines";
import { registerStatsRoutes } from "./stats";

/** Every resource mounts itself here; /openapi.json is built from what is registered. */
export function registerRoutes(app: App): void {
  registerHealthRoutes(app);
  registerAuthRoutes(app);
  registerApiKeyRoutes(app);
  registerInvitationRoutes(app);
  registerMemberRoutes(app);
  registerTenantRoutes(app);
  registerDevRoutes(app);
  registerAuditLogRoutes(app);
  registerBenchRoutes(app);
  registerContactRoutes(app);
  registerCompanyRoutes(app);
  registerTaskRoutes(app);
  registerNoteRoutes(app);
  registerActivityRoutes(app);
  registerTimelineRoutes(app);
  registerCustomFieldRoutes(app);
  registerViewRoutes(app);
  registerSettingsRoutes(app);
  registerPipelineRoutes(app);
  registerDealRoutes(app);
  registerLeadRoutes(app);
  registerStatsRoutes(app);
}
