import type { App } from "../../app";
import { registerCreateSequence } from "./create";
import { registerDeleteSequence } from "./delete";
import { registerEnrollContacts } from "./enroll";
import { registerEnrollByFilter } from "./enroll-by-filter";
import { registerEnrollmentRoutes } from "./enrollments";
import { registerGetSequence } from "./get";
import { registerListSequences } from "./list";
import { registerPreviewSequence } from "./preview";
import { registerSequenceStats } from "./stats";
import { registerUpdateSequence } from "./update";

export function registerSequenceRoutes(app: App): void {
  registerCreateSequence(app);
  registerListSequences(app);
  registerGetSequence(app);
  registerUpdateSequence(app);
  registerDeleteSequence(app);
  registerPreviewSequence(app);
  registerSequenceStats(app);
  registerEnrollByFilter(app);
  registerEnrollContacts(app);
  registerEnrollmentRoutes(app);
}
