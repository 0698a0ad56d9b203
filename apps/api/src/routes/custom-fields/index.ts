import type { App } from "../../app";
import { registerCreateCustomField } from "./create";
import { registerDeleteCustomField } from "./delete";
import { registerGetCustomField } from "./get";
import { registerListCustomFields } from "./list";
import { registerUpdateCustomField } from "./update";

export function registerCustomFieldRoutes(app: App): void {
  registerListCustomFields(app);
  registerCreateCustomField(app);
  registerGetCustomField(app);
  registerUpdateCustomField(app);
  registerDeleteCustomField(app);
}
