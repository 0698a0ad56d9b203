import type { App } from "../../app";
import { registerGetForecasts } from "./get-forecast";

export function registerForecastRoutes(app: App): void {
  registerGetForecasts(app);
}
