import { callApi } from "$lib/server/forms";
import type { ApiFetch } from "$lib/server/api";
import type { Role } from "$lib/types";
import {
  recordHref,
  type Deal,
  type Member,
  type Page,
  type Pipeline,
  type RecentChange,
  type RecordType,
} from "../types";

interface AuditEntry {
  id: string;
  actorType: "user" | "api_key" | "system";
  actorId: string;
  action: "create" | "update" | "delete";
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  createdAt: string;
}

type Fields = Record<string, unknown>;

/** The CRM records the feed talks about, with the API path that reads one. */
const entities: Record<string, { path: string; kind: string }> = {
  contact: { path: "contacts", kind: "contact" },
  company: { path: "companies", kind: "company" },
  lead: { path: "leads", kind: "lead" },
  deal: { path: "deals", kind: "deal" },
  task: { path: "tasks", kind: "task" },
  activity: { path: "activities", kind: "activity" },
  note: { path: "notes", kind: "note" },
};

const shown = 8;

const text = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim() : null);

function nameOf(entity: string, fields: Fields): string | null {
  switch (entity) {
    case "contact":
    case "lead":
      return (
        text([fields.firstName, fields.lastName].filter((part) => typeof part === "string").join(" ")) ??
        text(fields.companyName)
      );
    case "task":
      return text(fields.title);
    case "activity":
      return text(fields.subject);
    case "note": {
      const body = text(fields.body);
      return body && body.length > 60 ? `${body.slice(0, 57)}…` : body;
    }
    default:
      return text(fields.name);
  }
}

function hrefOf(entity: string, id: string, fields: Fields): string | null {
  if (entity === "activity" || entity === "note") {
    const type = fields.recordType as RecordType | undefined;
    const recordId = text(fields.recordId);
    return type && recordId ? recordHref(type, recordId) : null;
  }
  return recordHref(entity as RecordType, id);
}

/**
 * Admins and owners read the organization's audit log (the API's only tenant-wide feed of
 * changes; activities are listed per record): who added, moved, completed or deleted what.
 * Other roles may not read it, so they see the deals updated most recently instead.
 */
export async function recentChanges(
  api: ApiFetch,
  role: Role,
  members: Member[],
  pipelines: Pipeline[],
): Promise<{ source: "audit-log" | "deals"; items: RecentChange[] }> {
  const stageNames = new Map(pipelines.flatMap((pipeline) => pipeline.stages.map((stage) => [stage.id, stage.name])));
  if (role !== "owner" && role !== "admin") {
    const deals = await callApi<Page<Deal & { updatedAt: string }>>(
      api,
      `/api/v1/deals?sort=-updatedAt&limit=${shown}`,
    );
    const items = (deals.ok ? deals.data.data : []).map((deal) => ({
      id: deal.id,
      actor: null,
      action: "",
      name: deal.name,
      href: `/deals/${deal.id}`,
      detail: stageNames.get(deal.stageId) ? `in ${stageNames.get(deal.stageId)}` : null,
      at: deal.updatedAt,
    }));
    return { source: "deals", items };
  }

  const log = await callApi<Page<AuditEntry>>(api, "/api/v1/audit-log?limit=50");
  const entries = (log.ok ? log.data.data : []).filter((entry) => entry.entity in entities).slice(0, shown);
  const memberNames = new Map(members.map((member) => [member.id, member.name]));

  // An update carries only the changed fields: the record's name (and an activity's record) is read once per record.
  const current = new Map<string, Fields>();
  await Promise.all(
    [...new Set(entries.filter((e) => e.action !== "delete").map((e) => `${e.entity}:${e.entityId}`))].map(
      async (key) => {
        const [entity, id] = key.split(":") as [string, string];
        const fields = entries.find((e) => e.entityId === id)?.after ?? {};
        if (nameOf(entity, fields) && (entity !== "activity" && entity !== "note" ? true : fields.recordId)) return;
        const result = await callApi<Fields>(api, `/api/v1/${entities[entity]!.path}/${encodeURIComponent(id)}`);
        if (result.ok) current.set(id, result.data);
      },
    ),
  );

  const items = entries.map((entry): RecentChange => {
    const fields = { ...(entry.before ?? {}), ...(entry.after ?? {}), ...(current.get(entry.entityId) ?? {}) };
    const kind = entities[entry.entity]!.kind;
    const actor =
      entry.actorType === "user"
        ? (memberNames.get(entry.actorId) ?? "A former member")
        : entry.actorType === "api_key"
          ? "An API key"
          : "The CRM";
    const name = nameOf(entry.entity, fields) ?? `a ${kind}`;
    const href = entry.action === "delete" ? null : hrefOf(entry.entity, entry.entityId, fields);
    let action = `updated ${kind}`;
    let detail: string | null = null;
    if (entry.action === "create")
      action = entry.entity === "activity" ? `logged a ${text(fields.type) ?? "activity"}` : `added ${kind}`;
    else if (entry.action === "delete") action = `deleted ${kind}`;
    else if (entry.entity === "deal" && typeof entry.after?.stageId === "string") {
      action = "moved deal";
      detail = `to ${stageNames.get(entry.after.stageId) ?? "another stage"}`;
    } else if (entry.entity === "lead" && typeof entry.after?.stage === "string") {
      action = "moved lead";
      detail = `to ${entry.after.stage}`;
    } else if (entry.entity === "task" && entry.after?.status === "done") action = "completed task";
    return { id: entry.id, actor, action, name, href, detail, at: entry.createdAt };
  });
  return { source: "audit-log", items };
}
