import type { App } from "../../app";
import { registerCancelImport } from "./cancel";
import { registerDownloadImportErrors } from "./errors";
import { registerGetImport } from "./get";
import { registerListImports } from "./list";
import { registerPreviewImport } from "./preview";
import { registerStartImport } from "./start";
import { registerDownloadImportTemplate } from "./template";
import { registerUploadImport } from "./upload";

export function registerImportRoutes(app: App): void {
  registerUploadImport(app);
  registerListImports(app);
  // Before /imports/{id}: "template" is not an id.
  registerDownloadImportTemplate(app);
  registerGetImport(app);
  registerPreviewImport(app);
  registerStartImport(app);
  registerCancelImport(app);
  registerDownloadImportErrors(app);
}
