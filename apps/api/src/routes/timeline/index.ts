import type { App } from "../../app";
import { registerTimeline } from "./get";

export function registerTimelineRoutes(app: App): void {
  registerTimeline(app, "contact");
  registerTimeline(app, "company");
  registerTimeline(app, "deal");
  registerTimeline(app, "lead");
}
