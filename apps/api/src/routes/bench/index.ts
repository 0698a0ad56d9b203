import type { App } from "../../app";
import { registerBenchContactScan } from "./contact-scan";
import { registerBenchPointReads } from "./point-reads";
import { registerUnmeteredRoutes } from "./unmetered";

/**
 * Routes for `npm run bench` only (bench/): 404 for every method unless the BENCH_ROUTES
 * binding is "true", and absent from /openapi.json. See gate.ts.
 */
export function registerBenchRoutes(app: App): void {
  registerBenchPointReads(app);
  registerUnmeteredRoutes(app);
  registerBenchContactScan(app);
}
