import type { App } from "../../app";
import { registerPostmarkBounceHook } from "./postmark-bounce";

/** /hooks/*: providers calling back (authenticated by a signed token in the URL, not a session or key). */
export function registerHookRoutes(app: App): void {
  registerPostmarkBounceHook(app);
}
