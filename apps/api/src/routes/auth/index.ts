import type { App } from "../../app";
import { registerLogin } from "./login";
import { registerLogout } from "./logout";
import { registerMe } from "./me";
import { registerRefresh } from "./refresh";
import { registerSignup } from "./signup";

export function registerAuthRoutes(app: App): void {
  registerSignup(app);
  registerLogin(app);
  registerRefresh(app);
  registerLogout(app);
  registerMe(app);
}
