import type { App } from "../../app";
import { registerCreateTenant } from "./create";

export function registerTenantRoutes(app: App): void {
  registerCreateTenant(app);
}
