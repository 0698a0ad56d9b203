import { error } from "@sveltejs/kit";
import { objects, type ApiRecord, type CustomFieldDef, type RecordPage } from "$lib/records/objects";
import type { Member } from "$lib/records/detail/types";
import type { PageServerLoad } from "./$types";

/** The duplicate merge screen: `?ids=<contact>,<contact>`, both read side by side. */
export const load: PageServerLoad = async ({ url, locals }) => {
  const ids = (url.searchParams.get("ids") ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length !== 2 || ids[0] === ids[1]) {
    error(400, "Choose two different contacts to merge (open “Merge with…” on a contact's page).");
  }
  const api = locals.api;
  const read = async (id: string) => {
    const response = await api(`/api/v1/contacts/${encodeURIComponent(id)}`);
    if (response.status >= 500) error(503, "The CRM service could not load the contacts; try again.");
    if (!response.ok) error(404, `Contact ${id} not found`);
    return (await response.json()) as ApiRecord;
  };
  const [first, second, customFields, members] = await Promise.all([
    read(ids[0]!),
    read(ids[1]!),
    api("/api/v1/custom-fields?objectType=contact").then((r) =>
      r.ok ? (r.json() as Promise<{ data: CustomFieldDef[] }>) : null,
    ),
    api("/api/v1/members?limit=200").then((r) => (r.ok ? (r.json() as Promise<RecordPage<Member>>) : null)),
  ]);
  const companyIds = [
    ...new Set([first.companyId, second.companyId].filter((id): id is string => typeof id === "string")),
  ];
  const companies = Object.fromEntries(
    await Promise.all(
      companyIds.map(async (id) => {
        const response = await api(`/api/v1/companies/${encodeURIComponent(id)}`);
        const company = response.ok ? ((await response.json()) as ApiRecord) : null;
        return [id, company ? objects.companies.title(company) : ""] as const;
      }),
    ),
  );
  return {
    contacts: [first, second] as [ApiRecord, ApiRecord],
    customFields: customFields?.data ?? [],
    members: members?.data ?? [],
    companies,
  };
};
