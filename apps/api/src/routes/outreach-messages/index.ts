import type { App } from "../../app";
import { registerGetOutreachMessage } from "./get";
import { registerListOutreachMessages } from "./list";

export function registerOutreachMessageRoutes(app: App): void {
  registerListOutreachMessages(app);
  registerGetOutreachMessage(app);
}
