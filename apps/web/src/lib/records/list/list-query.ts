/**
 * A list's state lives in its URL so it can be shared and reloaded: `q`, `sort`, filters (the
 * API's own parameter names, `cf.<key>` for custom fields), `columns`, `limit` and `savedView`.
 * These pure functions read that state and turn it into the API's query, a saved view's query
 * and links. The same code runs on the server (first page) and in the browser (more pages).
 */
import type { FieldDef, FilterDef, ObjectDef } from "../objects";

export const pageSizes = [10, 25, 50, 100] as const;
export const defaultPageSize = 50;

export interface ListState {
  /** As typed (a trailing space is kept while typing); trimmed for the API. */
  q: string;
  /** The API's `sort` (`name`, `-createdAt`); null for the API's default (newest first). */
  sort: string | null;
  /** Filter parameter → value, in URL order (including `cf.<key>`, `cf.<key>.gte`...). */
  filters: Record<string, string>;
  /** Column keys in order; null for the object's default columns. */
  columns: string[] | null;
  limit: number;
  /** The saved view this state was opened from. */
  savedView: string | null;
}

const customParam = /^cf\.[A-Za-z0-9_-]{1,64}(\.(gte|lte))?$/;

function isFilterParam(def: ObjectDef, name: string): boolean {
  return customParam.test(name) || def.filters.some((filter) => filter.param === name);
}

/** The list state in a URL's query; unknown parameters are ignored. */
export function readListState(def: ObjectDef, params: URLSearchParams): ListState {
  const filters: Record<string, string> = {};
  for (const [name, value] of params) {
    if (value.trim() && isFilterParam(def, name)) filters[name] = value;
  }
  const columns = params.get("columns");
  const limit = Number(params.get("limit"));
  return {
    q: params.get("q") ?? "",
    sort: params.get("sort") || null,
    filters,
    columns: columns ? columns.split(",").filter(Boolean) : null,
    limit: (pageSizes as readonly number[]).includes(limit) ? limit : defaultPageSize,
    savedView: params.get("savedView") || null,
  };
}

/** `2026-11-05` → the instant the API wants for that filter (see FilterDef.instant). */
function filterValueForApi(filter: FilterDef | undefined, value: string): string {
  if (!filter?.instant || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const day = new Date(`${value}T00:00:00.000Z`);
  if (filter.instant === "end") day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString();
}

/** The API list query for a state (and a page cursor). */
export function apiQuery(def: ObjectDef, state: ListState, cursor?: string | null): URLSearchParams {
  const query = new URLSearchParams();
  if (state.q.trim()) query.set("q", state.q.trim());
  if (state.sort) query.set("sort", state.sort);
  for (const [name, value] of Object.entries(state.filters)) {
    query.set(
      name,
      filterValueForApi(
        def.filters.find((filter) => filter.param === name),
        value,
      ),
    );
  }
  query.set("limit", String(state.limit));
  if (cursor) query.set("cursor", cursor);
  return query;
}

/** What a saved view stores: the filters, search and sort (never cursor or limit). */
export function viewQuery(state: ListState): Record<string, string> {
  const query: Record<string, string> = {};
  if (state.q.trim()) query.q = state.q.trim();
  if (state.sort) query.sort = state.sort;
  Object.assign(query, state.filters);
  return query;
}

/** The URL query (with leading `?`, or "" for the plain list) for a state. */
export function listSearch(state: ListState): string {
  const params = new URLSearchParams();
  if (state.savedView) params.set("savedView", state.savedView);
  // The search as typed: trimming here would eat the space before the next word being typed.
  if (state.q.trim()) params.set("q", state.q);
  if (state.sort) params.set("sort", state.sort);
  for (const [name, value] of Object.entries(state.filters)) params.set(name, value);
  if (state.columns) params.set("columns", state.columns.join(","));
  if (state.limit !== defaultPageSize) params.set("limit", String(state.limit));
  const search = params.toString();
  return search ? `?${search}` : "";
}

/** The state a saved view opens: its query and columns, the current page size. */
export function stateOfView(
  def: ObjectDef,
  view: { id: string; query: Record<string, string>; columns: string[] | null },
  limit: number,
): ListState {
  const state = readListState(def, new URLSearchParams(view.query));
  return { ...state, columns: view.columns, limit, savedView: view.id };
}

/** Whether the state still shows exactly what the saved view stores. */
export function matchesView(
  state: ListState,
  view: { query: Record<string, string>; columns: string[] | null },
): boolean {
  const current = viewQuery(state);
  const stored = view.query;
  const keys = new Set([...Object.keys(current), ...Object.keys(stored)]);
  for (const key of keys) if ((current[key] ?? "") !== (stored[key] ?? "")) return false;
  return (state.columns ?? []).join(",") === (view.columns ?? []).join(",");
}

/** Whether search or any filter narrows the list. */
export function isNarrowed(state: ListState): boolean {
  return state.q.trim() !== "" || Object.keys(state.filters).length > 0;
}

/** The columns to show: the chosen ones that still exist (the title column always first), else the defaults. */
export function visibleColumns(def: ObjectDef, fields: FieldDef[], state: ListState): string[] {
  const known = new Set(fields.map((field) => field.key));
  const chosen = (state.columns ?? def.defaultColumns).filter((key) => known.has(key));
  const title = titleColumn(def);
  return [title, ...chosen.filter((key) => key !== title)];
}

/** The column whose cell links to the record (its name or title). */
export function titleColumn(def: ObjectDef): string {
  return def.defaultColumns[0] ?? "name";
}
