import { contacts } from "@crm/db";
import { notesTextByRecord } from "../notes/search-text";
import { ApiError } from "@crm/errors";
import { normalizeTags } from "@crm/records";
import type { BatchItem } from "drizzle-orm/batch";
import type { TenantContext } from "../context";
import { loadBulkTargets } from "../records/bulk";
import { visibilityCondition } from "../records/visibility";
import { applyContactInput, checkContactInput, type ContactInput } from "./input";
import { companyNameOf, contactDeleteQueries, contactSaveQueries, runContactBatch, sameContact } from "./write";

export type BulkAction = "update" | "delete" | "assign" | "tag" | "untag";

/** What a bulk update may set on many contacts at once (not names, emails or phones: those are per person). */
export type ContactBulkChanges = Pick<
  ContactInput,
  | "lifecycleStage"
  | "leadStatus"
  | "source"
  | "ownerId"
  | "companyId"
  | "doNotContact"
  | "consent"
  | "timeZone"
  | "customFields"
>;

export interface ContactBulkRequest {
  action: BulkAction;
  ids: string[];
  changes?: ContactBulkChanges | undefined;
  ownerId?: string | null | undefined;
  tags?: string[] | undefined;
}

const missing = (path: string, message: string) =>
  new ApiError("VALIDATION_FAILED", "The bulk request is incomplete", { errors: [{ path, message }] });

/** The per-contact input an action amounts to, before the rows are known. */
function inputFor(request: ContactBulkRequest): { input: ContactInput; prefix: string } {
  switch (request.action) {
    case "update":
      if (!request.changes || Object.keys(request.changes).length === 0)
        throw missing("body.changes", "Give at least one field to change");
      return { input: request.changes, prefix: "body.changes" };
    case "assign":
      if (request.ownerId === undefined)
        throw missing("body.ownerId", "Give the new owner's user id, or null to unassign");
      return { input: { ownerId: request.ownerId }, prefix: "body" };
    case "tag":
    case "untag":
      if (!request.tags || normalizeTags(request.tags).length === 0)
        throw missing("body.tags", "Give at least one tag");
      return { input: { tags: request.tags }, prefix: "body" };
    case "delete":
      return { input: {}, prefix: "body" };
  }
}

/**
 * Update, delete, assign, tag or untag up to 1,000 contacts in one D1 batch: all or
 * nothing. Any unknown, invisible or repeated id, or any invalid change, is a 422 and
 * nothing changes.
 */
export async function bulkContacts(ctx: TenantContext, request: ContactBulkRequest) {
  const { input, prefix } = inputFor(request);
  const rows = await loadBulkTargets(ctx.db, contacts, contacts.id, request.ids, {
    entity: "contact",
    visible: await visibilityCondition(ctx, contacts.ownerId),
  });
  if (request.action === "delete") {
    await ctx.db.batch(contactDeleteQueries(ctx, rows) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    return { results: rows.map((r) => ({ id: r.id, status: "deleted" as const })) };
  }
  const checked = await checkContactInput(ctx, input, { prefix, creating: false });
  const newCompanyName = checked.companyId !== undefined ? await companyNameOf(ctx, checked.companyId) : null;
  const now = new Date();
  const queries: BatchItem<"sqlite">[] = [];
  const notesText =
    checked.companyId !== undefined
      ? await notesTextByRecord(
          ctx,
          "contact",
          rows.map((r) => r.id),
        )
      : new Map<string, string>();
  for (const before of rows) {
    const tags =
      request.action === "tag"
        ? normalizeTags([...before.tags, ...(checked.tags ?? [])])
        : request.action === "untag"
          ? before.tags.filter((t) => !checked.tags?.includes(t))
          : checked.tags;
    const { row, lifecycleChange } = applyContactInput(before, { ...checked, tags }, now, prefix);
    if (sameContact(before, row)) continue;
    // Only the company is both bulk-changeable and part of the search text.
    const reindex = row.companyId !== before.companyId;
    queries.push(
      ...contactSaveQueries(ctx, before, row, {
        lifecycle: lifecycleChange,
        companyName: newCompanyName,
        reindex,
        notesText: notesText.get(row.id),
      }),
    );
  }
  if (queries.length > 0) await runContactBatch(ctx, queries, []);
  return { results: rows.map((r) => ({ id: r.id, status: "updated" as const })) };
}
