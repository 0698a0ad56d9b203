import type { App } from "../../app";
import { registerBulkContacts } from "./bulk";
import { registerCreateContact } from "./create";
import { registerDeleteContact } from "./delete";
import { registerGetContact } from "./get";
import { registerContactLifecycleHistory } from "./lifecycle-history";
import { registerListContacts } from "./list";
import { registerMergeContacts } from "./merge";
import { registerUpdateContact } from "./update";
import { registerExportContacts } from "./export";

export function registerContactRoutes(app: App): void {
  registerListContacts(app);
  registerExportContacts(app);
  registerCreateContact(app);
  registerBulkContacts(app);
  registerMergeContacts(app);
  registerGetContact(app);
  registerUpdateContact(app);
  registerDeleteContact(app);
  registerContactLifecycleHistory(app);
}
