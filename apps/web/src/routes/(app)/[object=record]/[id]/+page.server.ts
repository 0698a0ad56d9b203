import { error } from "@sveltejs/kit";
import { objects, type ApiRecord, type CustomFieldDef, type ObjectKey, type RecordPage } from "$lib/records/objects";
import type {
  DealStageChange,
  LeadStageChange,
  Member,
  Pipeline,
  RecordLink,
  Task,
  TimelineItem,
} from "$lib/records/detail/types";
import type { PageServerLoad } from "./$types";

/** How many timeline items and related records the first paint shows ("Load more" fetches the rest). */
const timelinePageSize = 20;
const relatedPageSize = 20;

type Api = App.Locals["api"];

/** The JSON of a read that may fail; a failed side panel must not take the whole page down. */
async function readJson<T>(api: Api, path: string): Promise<T | null> {
  const response = await api(path);
  if (!response.ok) return null;
  return (await response.json()) as T;
}

const emptyPage = <T>(): RecordPage<T> => ({ data: [], nextCursor: null });

async function readLink(api: Api, object: ObjectKey, id: unknown): Promise<RecordLink | null> {
  if (typeof id !== "string" || !id) return null;
  const record = await readJson<ApiRecord>(api, `/api/v1/${objects[object].path}/${encodeURIComponent(id)}`);
  // A link to a record the person cannot see (deleted, or hidden by visibility) shows as unavailable.
  return record ? { object, id, title: objects[object].title(record) } : { object, id, title: "" };
}

const recordTypeToObject: Record<string, ObjectKey> = {
  contact: "contacts",
  company: "companies",
  lead: "leads",
  deal: "deals",
  task: "tasks",
};

/**
 * A record's detail page: the record, its custom field definitions and the members (for owner
 * and assignee names), and, read in parallel, its timeline, linked tasks and related records.
 * Another organization's record (or one that does not exist) is a 404 page.
 */
export const load: PageServerLoad = async ({ params, locals }) => {
  const object = params.object as ObjectKey;
  const def = objects[object];
  const id = params.id;
  const api = locals.api;
  const base = `/api/v1/${def.path}/${encodeURIComponent(id)}`;

  const [
    recordResponse,
    customFields,
    members,
    timeline,
    tasks,
    pipelines,
    companyContacts,
    relatedDeals,
    stageHistory,
  ] = await Promise.all([
    api(base),
    readJson<{ data: CustomFieldDef[] }>(api, `/api/v1/custom-fields?objectType=${def.type}`),
    readJson<RecordPage<Member>>(api, "/api/v1/members?limit=200"),
    def.hasTimeline ? readJson<RecordPage<TimelineItem>>(api, `${base}/timeline?limit=${timelinePageSize}`) : null,
    object === "tasks"
      ? null
      : readJson<RecordPage<Task>>(
          api,
          `/api/v1/tasks?recordType=${def.type}&recordId=${encodeURIComponent(id)}&sort=-createdAt&limit=50`,
        ),
    object === "tasks" ? null : readJson<RecordPage<Pipeline>>(api, "/api/v1/pipelines?limit=200"),
    object === "companies" ? readJson<RecordPage<ApiRecord>>(api, `${base}/contacts?limit=${relatedPageSize}`) : null,
    object === "companies"
      ? readJson<RecordPage<ApiRecord>>(api, `${base}/deals?limit=${relatedPageSize}`)
      : object === "contacts"
        ? readJson<RecordPage<ApiRecord>>(
            api,
            `/api/v1/deals?contactId=${encodeURIComponent(id)}&sort=-createdAt&limit=${relatedPageSize}`,
          )
        : null,
    object === "deals" || object === "leads"
      ? readJson<RecordPage<DealStageChange | LeadStageChange>>(api, `${base}/stage-history?limit=200`)
      : null,
  ]);

  if (!recordResponse.ok) {
    // Unknown ids, malformed ids and other organizations' records all read as "not found".
    if (recordResponse.status >= 500) error(503, "The CRM service could not load this record; try again.");
    error(404, `${def.singular} not found`);
  }
  const record = (await recordResponse.json()) as ApiRecord;

  // Records this one points at, by title, so their links read as names.
  const linkReads: Promise<[string, RecordLink | null]>[] = [];
  const link = (key: string, target: ObjectKey, value: unknown) =>
    linkReads.push(readLink(api, target, value).then((found) => [key, found]));
  if (object === "contacts" || object === "deals") link("companyId", "companies", record.companyId);
  if (object === "deals") link("contactId", "contacts", record.contactId);
  if (object === "leads") {
    link("convertedContactId", "contacts", record.convertedContactId);
    link("convertedCompanyId", "companies", record.convertedCompanyId);
    link("convertedDealId", "deals", record.convertedDealId);
  }
  if (object === "tasks" && typeof record.recordType === "string") {
    const target = recordTypeToObject[record.recordType];
    if (target) link("recordId", target, record.recordId);
  }
  const links = Object.fromEntries(
    (await Promise.all(linkReads)).filter((entry): entry is [string, RecordLink] => entry[1] !== null),
  );

  return {
    object,
    record,
    customFields: customFields?.data ?? [],
    members: members?.data ?? [],
    timeline: timeline ?? (def.hasTimeline ? emptyPage<TimelineItem>() : null),
    tasks: tasks?.data ?? [],
    pipelines: pipelines?.data ?? [],
    links,
    companyContacts: companyContacts ?? emptyPage<ApiRecord>(),
    relatedDeals: relatedDeals ?? emptyPage<ApiRecord>(),
    stageHistory: stageHistory?.data ?? [],
  };
};
