import type { App } from "../../app";
import { registerCreateMailbox } from "./create";
import { registerDeleteMailbox } from "./delete";
import { registerGetMailbox } from "./get";
import { registerListMailboxes } from "./list";
import { registerSendMailboxTest } from "./test-send";
import { registerUpdateMailbox } from "./update";

export function registerMailboxRoutes(app: App): void {
  registerCreateMailbox(app);
  registerListMailboxes(app);
  registerGetMailbox(app);
  registerUpdateMailbox(app);
  registerDeleteMailbox(app);
  registerSendMailboxTest(app);
}
