import type { App } from "../../app";
import { registerCreateView } from "./create";
import { registerDeleteView } from "./delete";
import { registerGetView } from "./get";
import { registerListViews } from "./list";
import { registerUpdateView } from "./update";

export function registerViewRoutes(app: App): void {
  registerListViews(app);
  registerCreateView(app);
  registerGetView(app);
  registerUpdateView(app);
  registerDeleteView(app);
}
