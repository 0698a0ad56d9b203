import type { App } from "../../app";
import { registerListNotifications } from "./list";
import { registerNotificationReadRoutes } from "./read";

export function registerNotificationRoutes(app: App): void {
  registerListNotifications(app);
  registerNotificationReadRoutes(app);
}
