/** The audit log's filters as the page's URL carries them, and the API query they make. */
export interface AuditFilters {
  entity: string;
  action: string;
  actorId: string;
  entityId: string;
  /** YYYY-MM-DD, inclusive, UTC. */
  from: string;
  to: string;
}

const names = ["entity", "action", "actorId", "entityId", "from", "to"] as const;
const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

export function readFilters(params: URLSearchParams): AuditFilters {
  const filters = Object.fromEntries(
    names.map((name) => [name, params.get(name)?.trim() ?? ""]),
  ) as unknown as AuditFilters;
  if (!isDay(filters.from)) filters.from = "";
  if (!isDay(filters.to)) filters.to = "";
  return filters;
}

/** `from`/`to` days become the API's instants: from the first day's start to the end of the last. */
export function auditQuery(filters: AuditFilters, cursor?: string | null, limit = 50): string {
  const query = new URLSearchParams({ limit: String(limit) });
  if (filters.entity) query.set("entity", filters.entity);
  if (filters.action) query.set("action", filters.action);
  if (filters.actorId) query.set("actorId", filters.actorId);
  if (filters.entityId) query.set("entityId", filters.entityId);
  if (filters.from) query.set("from", `${filters.from}T00:00:00.000Z`);
  if (filters.to) {
    const end = new Date(`${filters.to}T00:00:00.000Z`);
    end.setUTCDate(end.getUTCDate() + 1);
    query.set("to", end.toISOString());
  }
  if (cursor) query.set("cursor", cursor);
  return query.toString();
}

/** The fields an entry changed, with their value before and after (created: no before; deleted: no after). */
export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return keys.map((key) => ({ key, before: show(before, key), after: show(after, key) }));
}

function show(values: Record<string, unknown> | null, key: string): string {
  if (!values || !(key in values)) return "—";
  const value = values[key];
  if (value === null) return "null";
  return typeof value === "string" ? value : JSON.stringify(value);
}
