import type { App } from "../../app";
import { registerGetRecordVisibility } from "./get-record-visibility";
import { registerUpdateRecordVisibility } from "./update-record-visibility";

export function registerSettingsRoutes(app: App): void {
  registerGetRecordVisibility(app);
  registerUpdateRecordVisibility(app);
}
