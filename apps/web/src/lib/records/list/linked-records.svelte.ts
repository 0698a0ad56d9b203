/**
 * Records point at other records by id (a contact's company, a deal's contact); cells show those
 * records' titles. The API has no "many ids" filter, so each distinct id is fetched once per tab
 * (a few at a time, only for the rows shown) and its title kept: searching, filtering and paging
 * then reuse what is known. Runs in the browser only (from effects), so no title is ever shared
 * between people on the server.
 */
import { SvelteMap } from "svelte/reactivity";
import { objects, readField, type ApiRecord, type ObjectDef, type ObjectKey } from "../objects";

/** The object a link field points at. */
const linkTargets: Partial<Record<string, ObjectKey>> = { company: "companies", contact: "contacts" };

/** Ids the rows link to that are neither known nor being fetched, with the object they belong to. */
export function missingLinks(
  def: ObjectDef,
  rows: ApiRecord[],
  has: (id: string) => boolean,
): { object: ObjectKey; id: string }[] {
  const wanted = new Map<string, ObjectKey>();
  for (const field of def.fields) {
    const target = linkTargets[field.kind];
    if (!target) continue;
    for (const row of rows) {
      const id = readField(field, row);
      if (typeof id === "string" && id && !has(id)) wanted.set(id, target);
    }
  }
  return [...wanted].map(([id, object]) => ({ id, object }));
}

/** Requests at once: enough to fill a screen quickly, few enough not to crowd out the next page. */
const concurrency = 4;

class LinkedTitles {
  /** Record id → title ("Unavailable" when the API answers 404: deleted, or hidden from this person). */
  readonly titles = new SvelteMap<string, string>();
  /** Waiting to be fetched: only what the rows on screen need (a newer call replaces it). */
  #queue: { object: ObjectKey; id: string }[] = [];
  readonly #inFlight = new Set<string>();
  #workers = 0;

  /** Fetches the titles of the records these rows link to that are not known yet. */
  resolve(def: ObjectDef, rows: ApiRecord[]): void {
    this.#queue = missingLinks(def, rows, (id) => this.titles.has(id) || this.#inFlight.has(id));
    while (this.#workers < concurrency && this.#queue.length > 0) {
      this.#workers += 1;
      void this.#work();
    }
  }

  async #work(): Promise<void> {
    try {
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
        const { object, id } = next;
        this.#inFlight.add(id);
        try {
          // Plain fetch, not bff(): background work must not light up the progress bar.
          const response = await fetch(`/bff/${objects[object].path}/${encodeURIComponent(id)}`, {
            headers: { accept: "application/json" },
          });
          if (response.ok) this.titles.set(id, objects[object].title((await response.json()) as ApiRecord));
          // Gone or hidden from this person; other failures (throttled, offline) are asked again later.
          else if (response.status === 404) this.titles.set(id, "Unavailable");
        } catch {
          // Offline: asked again when the rows change.
        } finally {
          this.#inFlight.delete(id);
        }
      }
    } finally {
      this.#workers -= 1;
    }
  }
}

export const linkedTitles = new LinkedTitles();
