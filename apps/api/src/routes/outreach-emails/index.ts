import type { App } from "../../app";
import { registerSendEmail } from "./send";

export function registerOutreachEmailRoutes(app: App): void {
  registerSendEmail(app);
}
