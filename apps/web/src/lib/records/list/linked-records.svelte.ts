/**
 * Records point at other records by id (a contact's company, a deal's contact); cells show those
 * records' titles. The API has no "many ids" filter, so each distinct id is fetched once per tab
 * and its title kept: searching, filtering and paging then reuse what is known. Runs in the
 * browser only (from effects), so no title is ever shared between people on the server.
 */
import { SvelteMap } from "svelte/reactivity";
import { bff } from "$lib/client/bff";
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

class LinkedTitles {
  /** Record id → title ("Unavailable" when the API answers 404: deleted, or hidden from this person). */
  readonly titles = new SvelteMap<string, string>();
  readonly #pending = new Set<string>();

  /** Fetches the titles of the records these rows link to that are not known yet. */
  async resolve(def: ObjectDef, rows: ApiRecord[]): Promise<void> {
    const links = missingLinks(def, rows, (id) => this.titles.has(id) || this.#pending.has(id));
    for (const { id } of links) this.#pending.add(id);
    await Promise.all(
      links.map(async ({ object, id }) => {
        const result = await bff<ApiRecord>(`${objects[object].path}/${encodeURIComponent(id)}`);
        if (result.ok) this.titles.set(id, objects[object].title(result.data));
        // Gone or hidden from this person; other failures (throttled, offline) are asked again later.
        else if (result.status === 404) this.titles.set(id, "Unavailable");
        this.#pending.delete(id);
      }),
    );
  }
}

export const linkedTitles = new LinkedTitles();
