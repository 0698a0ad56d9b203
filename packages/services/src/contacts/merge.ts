import { activities, contactLifecycleHistory, contacts, deals, leads, notes, tasks } from "@crm/db";
import { notesTextByRecord } from "../notes/search-text";
import { ApiError, type FieldError } from "@crm/errors";
import { normalizeTags } from "@crm/records";
import type { BatchItem } from "drizzle-orm/batch";
import { and, eq } from "drizzle-orm";
import type { TenantContext } from "../context";
import { visibilityCondition } from "../records/visibility";
import { type ContactRow, publicContact, sortNameFor } from "./public";
import { companyNameOf, contactDeleteQueries, contactSaveQueries, runContactBatch } from "./write";

const digitsOf = (phone: string) => phone.replace(/\D/g, "");

/**
 * The survivor with the merged contact folded in: its empty fields filled from the other,
 * every email and phone kept (the other's as secondary), tags, social links and custom
 * fields united (the survivor's values win), and do-not-contact if either asked for it.
 */
export function mergedContact(survivor: ContactRow, merged: ContactRow, now: Date): ContactRow {
  const row: ContactRow = { ...survivor, updatedAt: now };
  row.firstName ??= merged.firstName;
  row.lastName ??= merged.lastName;
  row.title ??= merged.title;
  row.companyId ??= merged.companyId;
  row.leadStatus ??= merged.leadStatus;
  row.source ??= merged.source;
  row.ownerId ??= merged.ownerId;
  row.timeZone ??= merged.timeZone;
  row.address ??= merged.address;
  if (!row.lifecycleStage && merged.lifecycleStage) {
    row.lifecycleStage = merged.lifecycleStage;
    row.lifecycleStageChangedAt = merged.lifecycleStageChangedAt;
  }
  if (row.consentStatus === "unknown" && merged.consentStatus !== "unknown") {
    row.consentStatus = merged.consentStatus;
    row.consentChangedAt = merged.consentChangedAt;
    row.consentSource = merged.consentSource;
  }
  row.doNotContact = survivor.doNotContact || merged.doNotContact;
  const addresses = new Set(survivor.emails.map((e) => e.address));
  const extraEmails = merged.emails
    .filter((e) => !addresses.has(e.address))
    .map((e) => ({ ...e, primary: survivor.emails.length === 0 && e.primary }));
  row.emails = [...survivor.emails, ...extraEmails];
  row.primaryEmail = row.emails.find((e) => e.primary)?.address ?? null;
  const numbers = new Set(survivor.phones.map((p) => digitsOf(p.number)));
  row.phones = [...survivor.phones, ...merged.phones.filter((p) => !numbers.has(digitsOf(p.number)))];
  row.tags = normalizeTags([...survivor.tags, ...merged.tags]);
  row.socialLinks = { ...merged.socialLinks, ...survivor.socialLinks };
  row.customFields = { ...merged.customFields, ...survivor.customFields };
  row.sortName = sortNameFor(row);
  return row;
}

async function findForMerge(ctx: TenantContext, id: string, path: string, errors: FieldError[]) {
  const visible = await visibilityCondition(ctx, contacts.ownerId);
  const row = await ctx.db.findFirst(contacts, and(eq(contacts.id, id), visible));
  if (!row) errors.push({ path, message: "No contact has this id" });
  return row;
}

/**
 * Merges a duplicate into the survivor in one D1 batch: deals, tasks, notes, activities,
 * lifecycle history and lead conversions move over, fields and tags are united, the
 * survivor is re-indexed for search, the other contact is deleted, and both are audited.
 */
export async function mergeContacts(ctx: TenantContext, survivorId: string, mergedId: string) {
  if (survivorId === mergedId) {
    throw new ApiError("VALIDATION_FAILED", "A contact cannot be merged into itself", {
      errors: [{ path: "body.mergedId", message: "Must differ from survivorId" }],
    });
  }
  const errors: FieldError[] = [];
  const survivor = await findForMerge(ctx, survivorId, "body.survivorId", errors);
  const merged = await findForMerge(ctx, mergedId, "body.mergedId", errors);
  if (!survivor || !merged) throw new ApiError("VALIDATION_FAILED", "Both contacts must exist", { errors });

  const after = mergedContact(survivor, merged, new Date());
  const onMerged = <T extends typeof notes | typeof activities | typeof tasks>(table: T) =>
    and(eq(table.recordType, "contact"), eq(table.recordId, mergedId))!;
  const queries: BatchItem<"sqlite">[] = [
    ctx.db.updateQuery(deals, { contactId: survivorId }, eq(deals.contactId, mergedId)),
    ctx.db.updateQuery(tasks, { recordId: survivorId }, onMerged(tasks)),
    ctx.db.updateQuery(notes, { recordId: survivorId }, onMerged(notes)),
    ctx.db.updateQuery(activities, { recordId: survivorId }, onMerged(activities)),
    ctx.db.updateQuery(
      contactLifecycleHistory,
      { contactId: survivorId },
      eq(contactLifecycleHistory.contactId, mergedId),
    ),
    ctx.db.updateQuery(leads, { convertedContactId: survivorId }, eq(leads.convertedContactId, mergedId)),
    // Deleted before the survivor is saved: the survivor may take over its primary email.
    ...contactDeleteQueries(ctx, [merged]),
    ...contactSaveQueries(ctx, survivor, after, {
      lifecycle: null,
      companyName: await companyNameOf(ctx, after.companyId),
      reindex: true,
      // The merged contact's notes move to the survivor in this batch: index both sets.
      notesText:
        [...(await notesTextByRecord(ctx, "contact", [survivorId, mergedId])).values()].join("\n") || undefined,
    }),
  ];
  await runContactBatch(ctx, queries, [after]);
  return publicContact(after);
}
