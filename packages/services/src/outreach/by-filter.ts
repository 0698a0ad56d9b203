import { ApiError } from "@crm/errors";
import type { TenantContext } from "../context";
import { type ContactListFilters, listContacts } from "../contacts/list";
import { enrollContacts } from "./enrollments";
import { findSequence } from "./sequences";

/** The most contacts one enroll-by-filter call takes (narrow the filters, or call again). */
export const maxFilterEnrollment = 10_000;

/** Ids of every contact the caller may see matching the contact list's filters, up to `max` + 1. */
async function matchingContactIds(ctx: TenantContext, filters: ContactListFilters, max: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listContacts(ctx, filters, { limit: 200, cursor });
    ids.push(...page.data.map((c) => c.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && ids.length <= max);
  return ids;
}

/** How many contacts the filters match, and the first ten of them (the list's default order). */
export async function previewEnrollmentFilter(ctx: TenantContext, sequenceId: string, filters: ContactListFilters) {
  await findSequence(ctx, sequenceId);
  const [sample, ids] = await Promise.all([
    listContacts(ctx, filters, { limit: 10 }),
    matchingContactIds(ctx, filters, maxFilterEnrollment),
  ]);
  return {
    count: ids.length,
    sample: sample.data.map((c) => ({
      id: c.id,
      firstName: c.firstName,
      lastName: c.lastName,
      email: c.emails.find((e) => e.primary)?.address ?? c.emails[0]?.address ?? null,
    })),
  };
}

/** Enrolls every matching contact (source `filter`); those already in the sequence are counted, not enrolled again. */
export async function enrollByFilter(ctx: TenantContext, sequenceId: string, filters: ContactListFilters) {
  await findSequence(ctx, sequenceId);
  const ids = await matchingContactIds(ctx, filters, maxFilterEnrollment);
  if (ids.length > maxFilterEnrollment)
    throw new ApiError(
      "VALIDATION_FAILED",
      `The filters match more than ${maxFilterEnrollment} contacts; narrow them and enroll in parts`,
      { errors: [{ path: "body.filters", message: `Matches more than ${maxFilterEnrollment} contacts` }] },
    );
  let enrolled = 0;
  let alreadyEnrolled = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const results = await enrollContacts(ctx, { sequenceId, contactIds: ids.slice(i, i + 500), source: "filter" });
    enrolled += results.filter((r) => r.result === "enrolled").length;
    alreadyEnrolled += results.filter((r) => r.result === "already_enrolled").length;
  }
  return { enrolled, alreadyEnrolled };
}
