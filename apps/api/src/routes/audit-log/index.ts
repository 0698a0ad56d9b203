import type { App } from "../../app";
import { registerGetAuditEntry } from "./get";
import { registerListAuditLog } from "./list";

export function registerAuditLogRoutes(app: App): void {
  registerListAuditLog(app);
  registerGetAuditEntry(app);
}
