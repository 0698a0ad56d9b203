import type { App } from "../../app";
import { registerCsvExport } from "../../lib/csv-export";
import { dealPage } from "./list";
import { DealListQuerySchema, DealSchema } from "./schema";

export function registerExportDeals(app: App): void {
  registerCsvExport(app, {
    objectType: "deal",
    plural: "deals",
    tag: "Deals",
    scope: "deals:read",
    querySchema: DealListQuerySchema,
    recordSchema: DealSchema,
    page: dealPage,
  });
}
