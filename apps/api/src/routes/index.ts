import type { App } from "../app";
import { registerApiKeyRoutes } from "./api-keys";
import { registerAuthRoutes } from "./auth";
import { registerHealthRoutes } from "./health";

/** Every resource mounts itself here; /openapi.json is built from what is registered. */
export function registerRoutes(app: App): void {
  registerHealthRoutes(app);
  registerAuthRoutes(app);
  registerApiKeyRoutes(app);
}
