import { loadSection } from "$lib/settings/api.server";
import { objectTypes, type CustomField, type ObjectType, type Page } from "$lib/settings/types";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  const asked = url.searchParams.get("object") as ObjectType | null;
  const objectType: ObjectType = asked && objectTypes.includes(asked) ? asked : "contact";
  return {
    objectType,
    fields: await loadSection<Page<CustomField>>(locals, `/api/v1/custom-fields?objectType=${objectType}`),
  };
};
