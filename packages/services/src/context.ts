import type { Database, TenantDb } from "@crm/db";
import type { Actor } from "./access";

/**
 * What every tenant-scoped use case receives. `db` is scoped to `tenant.id`: services
 * cannot write a tenant-owned query without the tenant predicate.
 */
export interface TenantContext {
  tenant: { id: string };
  actor: Actor;
  db: TenantDb;
  requestId: string;
  /**
   * Reads that cannot change while one job runs (custom field definitions), kept for the
   * job's length: an import checks thousands of rows against the same definitions.
   */
  memo?: Map<string, Promise<unknown>>;

  /**
   * Called when a write's statements include domain events, so the caller can have them
   * dispatched once the write committed (the API enqueues the webhook dispatcher).
   */
  onEventsRecorded?: () => void;

  /**
   * A workflow run acting (actor `system`, id = the workflow): how many runs led here, stored
   * on the domain events it records so chains of workflow-caused events can be cut off.
   */
  eventDepth?: number;

  /**
   * False for a CSV import: every record it writes gets its audit entry, but no domain event
   * of its own; the import announces itself once, with `import.completed`. A 1,048,576-row
   * file would otherwise queue a million webhook deliveries per subscription and as many
   * workflow checks (HubSpot does not send one webhook per imported row either), and the
   * per-row events were a third of what an import wrote.
   */
  announceRecordChanges?: boolean;
}

/** For the few use cases that work before a tenant is known (sign-up, login, key lookup). */
export interface SystemContext {
  db: Database;
  requestId: string;
}

/** `read()` once per job under `key` when the context carries a memo (every call without one). */
export function remembered<T>(ctx: Pick<TenantContext, "memo">, key: string, read: () => Promise<T>): Promise<T> {
  if (!ctx.memo) return read();
  let value = ctx.memo.get(key) as Promise<T> | undefined;
  if (!value) {
    value = read();
    ctx.memo.set(key, value);
  }
  return value;
}
