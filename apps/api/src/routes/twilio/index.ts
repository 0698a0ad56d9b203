import type { App } from "../../app";
import { registerDeleteTwilioAccount } from "./delete";
import { registerGetTwilioAccount } from "./get";
import { registerPutTwilioAccount } from "./put";

export function registerTwilioAccountRoutes(app: App): void {
  registerGetTwilioAccount(app);
  registerPutTwilioAccount(app);
  registerDeleteTwilioAccount(app);
}
