import type { App } from "../../app";
import { registerAcceptInvitation } from "./accept";
import { registerCreateInvitation } from "./create";
import { registerGetInvitation } from "./get";
import { registerListInvitations } from "./list";
import { registerRevokeInvitation } from "./revoke";

export function registerInvitationRoutes(app: App): void {
  registerAcceptInvitation(app);
  registerCreateInvitation(app);
  registerListInvitations(app);
  registerGetInvitation(app);
  registerRevokeInvitation(app);
}
