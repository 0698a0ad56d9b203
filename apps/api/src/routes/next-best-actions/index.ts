import type { App } from "../../app";
import { registerGetNextBestAction } from "./get";

export function registerNextBestActionRoutes(app: App): void {
  registerGetNextBestAction(app);
}
