import { progress } from "$lib/progress.svelte";

/** An RFC 9457 problem from the API, as the dashboard shows it. */
export interface Problem {
  status?: number;
  title?: string;
  detail?: string;
  errors?: { path?: string; message?: string }[];
}

export type BffResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; problem: Problem };

/**
 * Calls the API from the browser through the dashboard's server (`/bff/...`), which adds the
 * session. Counts towards the progress bar; never throws: a network failure is a 503 problem.
 */
export async function bff<T>(path: string, init: { method?: string; json?: unknown } = {}): Promise<BffResult<T>> {
  const done = progress.start();
  try {
    const response = await fetch(`/bff/${path.replace(/^\//, "")}`, {
      method: init.method ?? "GET",
      headers: init.json === undefined ? { accept: "application/json" } : { "content-type": "application/json" },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    if (response.ok) {
      const data = response.status === 204 ? null : await response.json();
      return { ok: true, status: response.status, data: data as T };
    }
    const problem = ((await response.json().catch(() => null)) as Problem | null) ?? {};
    problem.detail ??= problem.title ?? `The CRM service answered ${response.status}.`;
    return { ok: false, status: response.status, problem };
  } catch {
    return { ok: false, status: 503, problem: { detail: "The CRM service cannot be reached right now." } };
  } finally {
    done();
  }
}

/** Field name → message from a problem's `errors[].path` (`body.email`, `body.customFields.size`). */
export function fieldErrors(problem: Problem): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const entry of problem.errors ?? []) {
    const name = (entry.path ?? "").replace(/^body\./, "");
    if (name) fields[name] ??= entry.message ?? "Invalid value";
  }
  return fields;
}
