import type { App } from "../../app";
import { registerTrackClick } from "./click";
import { registerTrackOpen } from "./open";
import { registerUnsubscribe } from "./unsubscribe";

/** /t/*: what recipients' mail clients load and follow. No credentials: each token names its tenant and message. */
export function registerTrackingRoutes(app: App): void {
  registerTrackOpen(app);
  registerTrackClick(app);
  registerUnsubscribe(app);
}
