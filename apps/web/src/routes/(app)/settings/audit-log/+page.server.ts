import { callApi } from "$lib/server/forms";
import { loadSection } from "$lib/settings/api.server";
import { auditQuery, readFilters } from "$lib/settings/audit";
import type { ApiKey, AuditEntry, Member, Page } from "$lib/settings/types";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  const filters = readFilters(url.searchParams);
  // People and keys name the actors; an entry by someone since removed shows the id.
  const [entries, members, keys] = await Promise.all([
    loadSection<Page<AuditEntry>>(locals, `/api/v1/audit-log?${auditQuery(filters)}`),
    callApi<Page<Member>>(locals.api, "/api/v1/members?limit=200"),
    callApi<Page<ApiKey>>(locals.api, "/api/v1/api-keys?limit=200"),
  ]);
  const actors = [
    ...(members.ok ? members.data.data.map((m) => ({ id: m.id, name: m.name, kind: "person" as const })) : []),
    ...(keys.ok ? keys.data.data.map((k) => ({ id: k.id, name: k.name, kind: "API key" as const })) : []),
  ];
  return { filters, entries, actors };
};
