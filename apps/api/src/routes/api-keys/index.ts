import type { App } from "../../app";
import { registerCreateApiKey } from "./create";
import { registerGetApiKey } from "./get";
import { registerListApiKeys } from "./list";
import { registerRevokeApiKey } from "./revoke";

export function registerApiKeyRoutes(app: App): void {
  registerCreateApiKey(app);
  registerListApiKeys(app);
  registerGetApiKey(app);
  registerRevokeApiKey(app);
}
