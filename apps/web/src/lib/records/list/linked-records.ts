/**
 * Records point at other records by id (a contact's company, a deal's contact). The API has no
 * "many ids" filter, so each distinct id is fetched once (in parallel) and only its title kept.
 */
import { objects, readField, type ApiRecord, type ObjectDef, type ObjectKey } from "../objects";

/** The object a link field points at. */
const linkTargets: Partial<Record<string, ObjectKey>> = { company: "companies", contact: "contacts" };

/** Ids the rows link to that are not yet in `known`, by the object they belong to. */
export function missingLinks(
  def: ObjectDef,
  rows: ApiRecord[],
  known: Record<string, string>,
): { object: ObjectKey; id: string }[] {
  const wanted = new Map<string, ObjectKey>();
  for (const field of def.fields) {
    const target = linkTargets[field.kind];
    if (!target) continue;
    for (const row of rows) {
      const id = readField(field, row);
      if (typeof id === "string" && id && !(id in known)) wanted.set(id, target);
    }
  }
  return [...wanted].map(([id, object]) => ({ id, object }));
}

/**
 * The titles of the given records. `fetchRecord` answers null for a record that cannot be read
 * (deleted, or hidden from this person); those show as "Unavailable".
 */
export async function resolveLinks(
  links: { object: ObjectKey; id: string }[],
  fetchRecord: (object: ObjectKey, id: string) => Promise<ApiRecord | null>,
): Promise<Record<string, string>> {
  const entries = await Promise.all(
    links.map(async ({ object, id }) => {
      const record = await fetchRecord(object, id).catch(() => null);
      return [id, record ? objects[object].title(record) : "Unavailable"] as const;
    }),
  );
  return Object.fromEntries(entries);
}
