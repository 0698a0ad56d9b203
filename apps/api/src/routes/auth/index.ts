import type { App } from "../../app";
import { registerLogin } from "./login";
import { registerLogout } from "./logout";
import { registerMe } from "./me";
import { registerPasswordReset } from "./password-reset";
import { registerPasswordResetConfirm } from "./password-reset-confirm";
import { registerRefresh } from "./refresh";
import { registerSignup } from "./signup";
import { registerSwitchTenant } from "./switch-tenant";

export function registerAuthRoutes(app: App): void {
  registerSignup(app);
  registerLogin(app);
  registerRefresh(app);
  registerLogout(app);
  registerMe(app);
  registerSwitchTenant(app);
  registerPasswordReset(app);
  registerPasswordResetConfirm(app);
}
