import {
  contacts,
  type Database,
  type EnrollmentStatusReason,
  type enrollmentExitReasons,
  type enrollmentSources,
  mailboxes,
  newId,
  type SequenceExitRules,
  sequenceEnrollments,
  sequences,
  tenantDb,
  tenants,
} from "@crm/db";
import { ApiError } from "@crm/errors";
import { addDelay } from "@crm/outreach";
import { and, desc, eq, inArray, isNotNull, isNull, lt, lte, notInArray, or, type SQL, sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import { chunk, insertManyQueries } from "../records/insert-many";
import { visibilityCondition } from "../records/visibility";
import { findSequence, liveSteps, type SequenceRow } from "./sequences";

export type EnrollmentRow = typeof sequenceEnrollments.$inferSelect;
export type ExitReason = (typeof enrollmentExitReasons)[number];
type EnrollmentSource = (typeof enrollmentSources)[number];

export function publicEnrollment(row: EnrollmentRow) {
  return {
    id: row.id,
    sequenceId: row.sequenceId,
    contactId: row.contactId,
    campaignId: row.campaignId,
    status: row.status,
    exitReason: row.exitReason,
    source: row.source,
    enrolledBy: row.enrolledBy,
    mailboxId: row.mailboxId,
    nextStepId: row.nextStepId,
    dueAt: row.dueAt?.toISOString() ?? null,
    stepsCompleted: row.stepsCompleted,
    lastSentAt: row.lastSentAt?.toISOString() ?? null,
    pausedAt: row.pausedAt?.toISOString() ?? null,
    pausedUntil: row.pausedUntil?.toISOString() ?? null,
    statusReason: row.statusReason ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export type EnrollResult =
  | { contactId: string; result: "enrolled"; enrollmentId: string }
  | { contactId: string; result: "already_enrolled"; enrollmentId: string }
  | { contactId: string; result: "skipped"; reason: "contact_not_found" | "sequence_has_no_steps" };

export interface EnrollInput {
  sequenceId: string;
  contactIds: string[];
  source: EnrollmentSource;
  campaignId?: string | null | undefined;
  /** Who enrolled: the actor by default; the workflow id for workflow enrollments. */
  enrolledBy?: string | undefined;
  /** When the enrollment starts (the first step's delay counts from here). */
  now?: Date | undefined;
}

/** The tenant's default mailbox (null: the dev outbox). */
async function defaultMailboxId(ctx: TenantContext, sequence: SequenceRow): Promise<string | null> {
  if (sequence.mailboxId) return sequence.mailboxId;
  const mailbox = await ctx.db.findFirst(mailboxes, and(eq(mailboxes.isDefault, true), isNull(mailboxes.deletedAt))!);
  return mailbox?.id ?? null;
}

/** A new active enrollment waiting for the sequence's first step (its delay counted from `now`, in the contact's zone). */
function newEnrollmentRow(
  sequence: SequenceRow,
  first: { id: string; delayAmount: number; delayUnit: Parameters<typeof addDelay>[2] },
  contact: { id: string; timeZone: string | null },
  options: {
    source: EnrollmentSource;
    campaignId: string | null;
    enrolledBy: string;
    mailboxId: string | null;
    now: Date;
  },
): Omit<EnrollmentRow, "tenantId"> {
  const { now } = options;
  return {
    id: newId("enrollment"),
    sequenceId: sequence.id,
    contactId: contact.id,
    campaignId: options.campaignId,
    status: "active",
    exitReason: null,
    source: options.source,
    enrolledBy: options.enrolledBy,
    mailboxId: options.mailboxId,
    nextStepId: first.id,
    dueAt: addDelay(now, first.delayAmount, first.delayUnit, contact.timeZone ?? sequence.defaultTimeZone),
    stepsCompleted: 0,
    lastSentAt: null,
    pausedAt: null,
    pausedUntil: null,
    statusReason: null,
    endedAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * The statement that enrolls a contact just created in the same batch (a referred contact):
 * null when the sequence is not active or has no steps. Same row as enrollContacts writes.
 */
export async function enrollNewContactQuery(
  ctx: TenantContext,
  sequenceId: string,
  contact: { id: string; timeZone: string | null },
  options: { source: EnrollmentSource; campaignId: string | null; enrolledBy: string; now: Date },
) {
  const sequence = await ctx.db.findFirst(sequences, and(eq(sequences.id, sequenceId), isNull(sequences.deletedAt))!);
  if (!sequence || sequence.status !== "active") return null;
  const [first] = await liveSteps(ctx, sequence.id);
  if (!first) return null;
  const row = newEnrollmentRow(sequence, first, contact, {
    ...options,
    mailboxId: await defaultMailboxId(ctx, sequence),
  });
  return { id: row.id, query: ctx.db.insertQuery(sequenceEnrollments, row) };
}

/**
 * Enrolls contacts in an active sequence, once each: a contact with a live (active or paused)
 * enrollment is reported `already_enrolled`, one the caller cannot see or that does not exist
 * `skipped`. Consent is checked before every send, not here, so a skip is recorded with its reason.
 * Used by the API, the enroll_in_sequence workflow action and campaigns.
 */
export async function enrollContacts(ctx: TenantContext, input: EnrollInput): Promise<EnrollResult[]> {
  const sequence = await findSequence(ctx, input.sequenceId);
  if (sequence.status !== "active")
    throw new ApiError("CONFLICT", `Sequence ${sequence.id} is ${sequence.status}: only active sequences enroll`);
  const ids = [...new Set(input.contactIds)];
  const [first] = await liveSteps(ctx, sequence.id);
  if (!first) return ids.map((contactId) => ({ contactId, result: "skipped", reason: "sequence_has_no_steps" }));
  const visible = await visibilityCondition(ctx, contacts.ownerId);
  const found = new Map<string, typeof contacts.$inferSelect>();
  const live = new Map<string, string>();
  for (const part of chunk(ids, 90)) {
    for (const c of await ctx.db.findMany(contacts, { where: and(inArray(contacts.id, part), visible) }))
      found.set(c.id, c);
    for (const e of await ctx.db.findMany(sequenceEnrollments, {
      where: and(
        eq(sequenceEnrollments.sequenceId, sequence.id),
        inArray(sequenceEnrollments.contactId, part),
        inArray(sequenceEnrollments.status, ["active", "paused"]),
      ),
    }))
      live.set(e.contactId, e.id);
  }
  const now = input.now ?? new Date();
  const mailboxId = await defaultMailboxId(ctx, sequence);
  const results: EnrollResult[] = [];
  const rows: Omit<EnrollmentRow, "tenantId">[] = [];
  for (const contactId of ids) {
    const contact = found.get(contactId);
    if (!contact) {
      results.push({ contactId, result: "skipped", reason: "contact_not_found" });
      continue;
    }
    const existing = live.get(contactId);
    if (existing) {
      results.push({ contactId, result: "already_enrolled", enrollmentId: existing });
      continue;
    }
    const row = newEnrollmentRow(sequence, first, contact, {
      source: input.source,
      campaignId: input.campaignId ?? null,
      enrolledBy: input.enrolledBy ?? ctx.actor.id,
      mailboxId,
      now,
    });
    rows.push(row);
    results.push({ contactId, result: "enrolled", enrollmentId: row.id });
  }
  const queries = insertManyQueries(ctx.db, sequenceEnrollments, rows);
  for (let i = 0; i < queries.length; i += 50) {
    const part = queries.slice(i, i + 50);
    await ctx.db.batch(part as [(typeof part)[number], ...typeof part]);
  }
  return results;
}

/** The enrollment if it exists in the tenant; 404 otherwise. */
export async function findEnrollment(ctx: TenantContext, id: string): Promise<EnrollmentRow> {
  const row = await ctx.db.findFirst(sequenceEnrollments, eq(sequenceEnrollments.id, id));
  if (!row) throw new ApiError("NOT_FOUND", `Enrollment ${id} was not found`);
  return row;
}

export async function getEnrollment(ctx: TenantContext, id: string) {
  return publicEnrollment(await findEnrollment(ctx, id));
}

export async function listEnrollments(
  ctx: TenantContext,
  sequenceId: string,
  filters: { limit: number; cursor?: string | undefined; status?: EnrollmentRow["status"] | undefined },
) {
  await findSequence(ctx, sequenceId);
  const rows = await ctx.db.findMany(sequenceEnrollments, {
    where: and(
      eq(sequenceEnrollments.sequenceId, sequenceId),
      filters.status ? eq(sequenceEnrollments.status, filters.status) : undefined,
      filters.cursor ? lt(sequenceEnrollments.id, filters.cursor) : undefined,
    ),
    orderBy: desc(sequenceEnrollments.id),
    limit: filters.limit + 1,
  });
  const page = rows.slice(0, filters.limit);
  return {
    data: page.map(publicEnrollment),
    nextCursor: rows.length > filters.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** Pauses an active enrollment: nothing is sent until it is resumed. */
export async function pauseEnrollment(ctx: TenantContext, id: string) {
  const row = await findEnrollment(ctx, id);
  if (row.status === "paused") return publicEnrollment(row);
  if (row.status !== "active") throw new ApiError("CONFLICT", `Enrollment ${id} is ${row.status}: it cannot be paused`);
  const now = new Date();
  const [after] = await ctx.db.update(
    sequenceEnrollments,
    { status: "paused", pausedAt: now, pausedUntil: null, statusReason: null, updatedAt: now },
    and(eq(sequenceEnrollments.id, id), eq(sequenceEnrollments.status, "active"))!,
  );
  return publicEnrollment(after ?? (await findEnrollment(ctx, id)));
}

/** Resumes a paused enrollment; a step that fell due meanwhile goes out at the next window opening. */
export async function resumeEnrollment(ctx: TenantContext, id: string) {
  const row = await findEnrollment(ctx, id);
  if (row.status === "active") return publicEnrollment(row);
  if (row.status !== "paused")
    throw new ApiError("CONFLICT", `Enrollment ${id} is ${row.status}: it cannot be resumed`);
  const now = new Date();
  const [after] = await ctx.db.update(
    sequenceEnrollments,
    { status: "active", pausedAt: null, pausedUntil: null, statusReason: null, updatedAt: now },
    and(eq(sequenceEnrollments.id, id), eq(sequenceEnrollments.status, "paused"))!,
  );
  return publicEnrollment(after ?? (await findEnrollment(ctx, id)));
}

/** Takes a contact out of the sequence by hand; nothing more is sent. */
export async function unenroll(ctx: TenantContext, id: string) {
  const row = await findEnrollment(ctx, id);
  if (row.status === "unenrolled") return publicEnrollment(row);
  if (row.status !== "active" && row.status !== "paused")
    throw new ApiError("CONFLICT", `Enrollment ${id} is ${row.status}: it has already ended`);
  const now = new Date();
  const [after] = await ctx.db.update(
    sequenceEnrollments,
    { status: "unenrolled", dueAt: null, endedAt: now, updatedAt: now },
    and(eq(sequenceEnrollments.id, id), inArray(sequenceEnrollments.status, ["active", "paused"]))!,
  );
  return publicEnrollment(after ?? (await findEnrollment(ctx, id)));
}

/** The exit rule that lets a reason end an enrollment; unsubscribes and the rest always do. */
const ruleFor: Partial<Record<ExitReason, keyof SequenceExitRules>> = {
  replied: "onReply",
  bounced: "onBounce",
  deal_won: "onDealWon",
  meeting_booked: "onMeetingBooked",
};

/**
 * The statement that ends live enrollments matching `where` with a reason (reply, bounce, …),
 * except in sequences whose exit rules turn that reason off (a reply to a nurture sequence).
 */
function exitQuery(
  ctx: TenantContext,
  where: SQL,
  reason: ExitReason,
  now: Date,
  statusReason: EnrollmentStatusReason | null = null,
) {
  const rule = ruleFor[reason];
  return ctx.db.updateQuery(
    sequenceEnrollments,
    {
      status: "exited",
      exitReason: reason,
      statusReason,
      nextStepId: null,
      dueAt: null,
      pausedUntil: null,
      endedAt: now,
      updatedAt: now,
    },
    and(
      where,
      inArray(sequenceEnrollments.status, ["active", "paused"]),
      rule
        ? notInArray(
            sequenceEnrollments.sequenceId,
            ctx.db.scopedSelectIds(
              sequences,
              sequences.id,
              sql`json_extract(${sequences.exitRules}, ${`$.${rule}`}) = 0`,
            ),
          )
        : undefined,
    )!,
  );
}

/**
 * Ends one enrollment early (replied, bounced, unsubscribed, …) unless its sequence's exit
 * rules keep it going for that reason; an ended one is left as it is. True when it ended.
 */
/**
 * The exit as one statement, for the batch of the event that causes it (a reply, a bounce, an
 * unsubscribe): the event and the end of the enrollment commit together.
 */
export function exitEnrollmentsQuery(
  ctx: TenantContext,
  target: { contactId: string } | { enrollmentId: string },
  reason: ExitReason,
  at: Date,
  /** The reply behind it, when a reply caused it. */
  statusReason: EnrollmentStatusReason | null = null,
) {
  const which =
    "contactId" in target
      ? eq(sequenceEnrollments.contactId, target.contactId)
      : eq(sequenceEnrollments.id, target.enrollmentId);
  return exitQuery(ctx, which, reason, at, statusReason);
}

/**
 * Pauses a live enrollment until a time (an out-of-office reply's return date), with the reply
 * behind it; the minute tick resumes it then (resumeTimedPauses). Only an active one, or one
 * an earlier away reply paused: a pause a person or a campaign made is theirs to end.
 */
export function pauseEnrollmentUntilQuery(
  ctx: TenantContext,
  enrollmentId: string,
  until: Date,
  statusReason: EnrollmentStatusReason,
  at: Date,
) {
  return ctx.db.updateQuery(
    sequenceEnrollments,
    {
      status: "paused",
      pausedAt: sql`coalesce(${sequenceEnrollments.pausedAt}, ${at.getTime()})`,
      pausedUntil: until,
      statusReason,
      updatedAt: at,
    },
    and(
      eq(sequenceEnrollments.id, enrollmentId),
      or(
        eq(sequenceEnrollments.status, "active"),
        and(eq(sequenceEnrollments.status, "paused"), isNotNull(sequenceEnrollments.pausedUntil)),
      ),
    )!,
  );
}

/**
 * The minute tick's resume of timed pauses that are over, tenant by tenant (as the due-send
 * scan): active again, and a step that fell due meanwhile is due at the pause's end (the
 * consumer places it in the send window). Returns how many resumed.
 */
export async function resumeTimedPauses(db: Database, now: Date): Promise<number> {
  const e = sequenceEnrollments;
  let resumed = 0;
  for (const { id } of await db.select({ id: tenants.id }).from(tenants)) {
    const rows = await tenantDb(db, id).update(
      e,
      {
        status: "active",
        dueAt: sql`max(coalesce(${e.dueAt}, ${e.pausedUntil}), ${e.pausedUntil})`,
        pausedAt: null,
        pausedUntil: null,
        statusReason: null,
        updatedAt: now,
      },
      // Literal status and a bound on paused_until: SQLite reads sequence_enrollments_paused_until_idx.
      and(sql`${e.status} = 'paused'`, isNotNull(e.pausedUntil), lte(e.pausedUntil, now))!,
    );
    resumed += rows.length;
  }
  return resumed;
}

export async function exitEnrollment(ctx: TenantContext, enrollmentId: string, reason: ExitReason): Promise<boolean> {
  const rows = await exitQuery(ctx, eq(sequenceEnrollments.id, enrollmentId), reason, new Date()).returning({
    id: sequenceEnrollments.id,
  });
  return rows.length > 0;
}

/** Ends every live enrollment of a contact (an unsubscribe stops all sequences), as exitEnrollment. */
export async function exitEnrollmentsForContact(
  ctx: TenantContext,
  contactId: string,
  reason: ExitReason,
): Promise<number> {
  const rows = await exitQuery(ctx, eq(sequenceEnrollments.contactId, contactId), reason, new Date()).returning({
    id: sequenceEnrollments.id,
  });
  return rows.length;
}
