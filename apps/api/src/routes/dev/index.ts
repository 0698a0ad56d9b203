import type { App } from "../../app";
import { registerDevOutbox } from "./outbox";

export function registerDevRoutes(app: App): void {
  registerDevOutbox(app);
}
