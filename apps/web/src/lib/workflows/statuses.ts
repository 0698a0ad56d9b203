import type { ExecutionStatus } from "./types";

/** The run states the history filters by (the API's order). */
export const executionStatuses: readonly ExecutionStatus[] = [
  "running",
  "waiting",
  "succeeded",
  "failed",
  "cancelled",
  "skipped",
];

/** `contact` + id → `/contacts/<id>`: where a run's record lives in the dashboard. */
export function recordHref(recordType: string, recordId: string | null): string | null {
  const paths: Record<string, string> = {
    contact: "contacts",
    company: "companies",
    lead: "leads",
    deal: "deals",
    task: "tasks",
  };
  return recordId && paths[recordType] ? `/${paths[recordType]}/${recordId}` : null;
}
