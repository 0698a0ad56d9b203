import type { App } from "../../app";
import { registerCreateNote } from "./create";
import { registerDeleteNote } from "./delete";
import { registerGetNote } from "./get";
import { registerListNotes } from "./list";
import { registerUpdateNote } from "./update";

export function registerNoteRoutes(app: App): void {
  registerListNotes(app);
  registerCreateNote(app);
  registerGetNote(app);
  registerUpdateNote(app);
  registerDeleteNote(app);
}
