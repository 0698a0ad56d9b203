import type { App } from "../../app";
import { registerGetMember } from "./get";
import { registerListMembers } from "./list";
import { registerRemoveMember } from "./remove";
import { registerUpdateMember } from "./update";

export function registerMemberRoutes(app: App): void {
  registerListMembers(app);
  registerGetMember(app);
  registerUpdateMember(app);
  registerRemoveMember(app);
}
