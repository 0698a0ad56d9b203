import {
  activities,
  contacts,
  type Database,
  deals,
  mailboxDailySends,
  mailboxes,
  newId,
  outreachEvents,
  outreachMessages,
  sequenceEnrollments,
  sequences,
  sequenceSteps,
  tenantDb,
  tenants,
} from "@crm/db";
import { addDelay, capDay, capResetsAt, nextWindowOpening } from "@crm/outreach";
import type { BatchItem } from "drizzle-orm/batch";
import { and, asc, eq, gt, gte, inArray, isNotNull, isNull, lte, type SQL, sql } from "drizzle-orm";
import { remembered, type TenantContext } from "../context";
import { consentBlock } from "./consent";
import type { EnrollmentRow, ExitReason } from "./enrollments";
import { newReplyToken, type OutreachLinkEnv, outreachLinks } from "./links";
import { channelSenderFor, twilioStatusCallbackUrl } from "./twilio/channel-sender";
import { twilioAccountFor } from "./twilio/accounts";
import { addressFor, type MailboxRow, renderStep, templateDataFor } from "./render";
import { markSentQueries } from "./sent";
import type { SequenceRow, SequenceStepRow } from "./sequences";
import { mailTransportFor } from "./transport-factory";

/** How long the scheduler leaves an enqueued enrollment alone: a lost queue message is retried after it. */
export const sendLeaseMs = 10 * 60_000;
/** A failed send is tried again after this long. */
export const failedSendRetryMs = 30 * 60_000;
/**
 * The most due enrollments one tick takes per tenant (the rest wait for the next, a minute
 * later). At this many a minute a tenant's busy hour is 300,000 steps; the lease keeps a
 * slow consumer's backlog from being enqueued twice.
 */
export const dueSendsPerTick = 5000;

export interface DueSend {
  tenantId: string;
  enrollmentId: string;
  stepId: string;
}

/**
 * Which enrollments are due at `now`: active, with a next step, due_at passed. The one place
 * the scheduler's condition is written (a literal status, so SQLite reads the partial index
 * sequence_enrollments_due_idx of active enrollments).
 */
export function dueEnrollmentCondition(now: Date): SQL {
  return and(
    sql`${sequenceEnrollments.status} = 'active'`,
    lte(sequenceEnrollments.dueAt, now),
    isNotNull(sequenceEnrollments.nextStepId),
  )!;
}

/**
 * The scheduler's question, per tenant: the first dueSendsPerTick enrollments due at `now`
 * (dueEnrollmentCondition) in due order, leased in the same transaction by one statement
 * (due_at moved on by sendLeaseMs) so an overlapping tick does not take them again while their
 * message waits; the consumer sets the real next due time.
 */
export async function findDueSends(db: Database, now: Date): Promise<DueSend[]> {
  const found: DueSend[] = [];
  const tenantIds = (await db.select({ id: tenants.id }).from(tenants)).map((t) => t.id);
  for (const tenantId of tenantIds) {
    const tdb = tenantDb(db, tenantId);
    const due = () =>
      tdb
        .scopedSelectIds(sequenceEnrollments, sequenceEnrollments.id, dueEnrollmentCondition(now))
        .orderBy(asc(sequenceEnrollments.dueAt))
        .limit(dueSendsPerTick);
    // One transaction: the due rows in due order, and the same rows leased (still due: a tick
    // that overlaps this one finds them leased and takes none of them twice).
    const [ordered, leased] = await db.batch([
      tdb
        .aggregateQuery(
          sequenceEnrollments,
          { id: sequenceEnrollments.id, nextStepId: sequenceEnrollments.nextStepId },
          { where: dueEnrollmentCondition(now) },
        )
        .orderBy(asc(sequenceEnrollments.dueAt))
        .limit(dueSendsPerTick),
      tdb
        .updateQuery(
          sequenceEnrollments,
          { dueAt: new Date(now.getTime() + sendLeaseMs) },
          and(inArray(sequenceEnrollments.id, due()), dueEnrollmentCondition(now))!,
        )
        .returning({ id: sequenceEnrollments.id }),
    ]);
    const mine = new Set(leased.map((e) => e.id));
    for (const e of ordered) if (mine.has(e.id)) found.push({ tenantId, enrollmentId: e.id, stepId: e.nextStepId! });
  }
  return found;
}

export interface SendDeps extends OutreachLinkEnv {
  db: Database;
  /**
   * Lookups shared by the sends of one batch (a sequence, its steps, the mailbox, the
   * tenant): read once per batch, not once per send.
   */
  memo?: Map<string, Promise<unknown>>;
}

export interface SendJob extends DueSend {
  /** The scheduler's "now" for this send (the Cron tick's scheduled time). */
  at: number;
  /** A spacing slot already reserved for this send (a deferred message carries it). */
  slotAt?: number | undefined;
}

export type SendOutcome =
  | { outcome: "sent"; messageId: string }
  | { outcome: "skipped"; messageId: string | null; reason: string }
  | { outcome: "exited"; reason: ExitReason }
  | { outcome: "outside_window"; dueAt: Date }
  | { outcome: "deferred"; slotAt: number }
  | { outcome: "daily_cap"; dueAt: Date }
  | { outcome: "failed"; messageId: string; error: string }
  | { outcome: "duplicate" }
  | { outcome: "stale" };

export function systemContext(deps: SendDeps, tenantId: string, enrollmentId: string): TenantContext {
  return {
    tenant: { id: tenantId },
    actor: { type: "system", id: "outreach" },
    db: tenantDb(deps.db, tenantId),
    requestId: `outreach:${enrollmentId}`,
    ...(deps.memo ? { memo: deps.memo } : {}),
  };
}

/** Only the enrollment still waiting on this step is moved (a redelivered message finds it moved on). */
function sameStep(enrollment: EnrollmentRow) {
  return and(
    eq(sequenceEnrollments.id, enrollment.id),
    eq(sequenceEnrollments.nextStepId, enrollment.nextStepId!),
    eq(sequenceEnrollments.status, "active"),
  )!;
}

/** The live step after this one, if any. */
export function stepAfter(ctx: TenantContext, step: SequenceStepRow): Promise<SequenceStepRow | null> {
  return remembered(ctx, `outreach:stepAfter:${step.id}`, async () => {
    const [next] = await ctx.db.findMany(sequenceSteps, {
      where: and(
        eq(sequenceSteps.sequenceId, step.sequenceId),
        isNull(sequenceSteps.deletedAt),
        gt(sequenceSteps.position, step.position),
      ),
      orderBy: asc(sequenceSteps.position),
      limit: 1,
    });
    return next ?? null;
  });
}

/** The enrollment's mailbox unless it was deleted (its spacing slot is reserved by an update, not from this row). */
function mailboxFor(ctx: TenantContext, mailboxId: string): Promise<MailboxRow | null> {
  return remembered(
    ctx,
    `outreach:mailbox:${mailboxId}`,
    async () =>
      (await ctx.db.findFirst(mailboxes, and(eq(mailboxes.id, mailboxId), isNull(mailboxes.deletedAt))!)) ?? null,
  );
}

/**
 * The enrollment after this step: the next live step (stepAfter) due after its delay, or
 * completed. (Not async: an awaited query builder would run.)
 */
function advanceQuery(
  ctx: TenantContext,
  enrollment: EnrollmentRow,
  next: SequenceStepRow | null,
  from: Date,
  zone: string,
  sent: boolean,
) {
  const common = {
    stepsCompleted: enrollment.stepsCompleted + 1,
    ...(sent ? { lastSentAt: from } : {}),
    updatedAt: from,
  };
  return ctx.db.updateQuery(
    sequenceEnrollments,
    next
      ? { ...common, nextStepId: next.id, dueAt: addDelay(from, next.delayAmount, next.delayUnit, zone) }
      : { ...common, status: "completed", nextStepId: null, dueAt: null, endedAt: from },
    sameStep(enrollment),
  );
}

function exitQuery(ctx: TenantContext, enrollment: EnrollmentRow, reason: ExitReason, now: Date) {
  return ctx.db.updateQuery(
    sequenceEnrollments,
    { status: "exited", exitReason: reason, nextStepId: null, dueAt: null, endedAt: now, updatedAt: now },
    sameStep(enrollment),
  );
}

/** Why the enrollment ends before this send (a won deal or a meeting since it started), if it does. */
async function earlyExit(
  ctx: TenantContext,
  sequence: SequenceRow,
  enrollment: EnrollmentRow,
): Promise<ExitReason | null> {
  const rules = sequence.exitRules;
  const [won, meeting] = await Promise.all([
    rules.onDealWon !== false
      ? ctx.db.findFirst(
          deals,
          and(
            eq(deals.contactId, enrollment.contactId),
            eq(deals.status, "won"),
            gte(deals.updatedAt, enrollment.createdAt),
          )!,
        )
      : undefined,
    rules.onMeetingBooked !== false
      ? ctx.db.findFirst(
          activities,
          and(
            eq(activities.recordType, "contact"),
            eq(activities.recordId, enrollment.contactId),
            eq(activities.type, "meeting"),
            gte(activities.createdAt, enrollment.createdAt),
          )!,
        )
      : undefined,
  ]);
  if (won) return "deal_won";
  if (meeting) return "meeting_booked";
  return null;
}

/**
 * One enrollment step, as the queue consumer runs it: exits (deal won, meeting booked),
 * consent (a skip row with its reason), the recipient's send window, the mailbox's spacing
 * and daily cap, then the outreach_messages row claimed by its dedupe key BEFORE the send, so
 * a message delivered twice sends once; then the send, its `sent` event and `email.sent`
 * domain event, and the enrollment moved to its next step.
 */
export async function sendEnrollmentStep(deps: SendDeps, job: SendJob): Promise<SendOutcome> {
  const now = new Date(Math.max(job.at, Date.now()));
  const ctx = systemContext(deps, job.tenantId, job.enrollmentId);
  const enrollment = await ctx.db.findFirst(sequenceEnrollments, eq(sequenceEnrollments.id, job.enrollmentId));
  if (!enrollment || enrollment.status !== "active" || enrollment.nextStepId !== job.stepId)
    return { outcome: "stale" };
  const [sequence, step, contact] = await Promise.all([
    remembered(ctx, `outreach:sequence:${enrollment.sequenceId}`, () =>
      ctx.db.findFirst(sequences, and(eq(sequences.id, enrollment.sequenceId), isNull(sequences.deletedAt))!),
    ),
    remembered(ctx, `outreach:step:${job.stepId}`, () =>
      ctx.db.findFirst(sequenceSteps, and(eq(sequenceSteps.id, job.stepId), isNull(sequenceSteps.deletedAt))!),
    ),
    ctx.db.findFirst(contacts, eq(contacts.id, enrollment.contactId)),
  ]);
  if (!sequence || !step) return { outcome: "stale" };
  if (sequence.status !== "active") {
    // A paused sequence holds its enrollments; they are looked at again later.
    await ctx.db.update(
      sequenceEnrollments,
      { dueAt: new Date(now.getTime() + sendLeaseMs * 6) },
      sameStep(enrollment),
    );
    return { outcome: "stale" };
  }
  if (!contact) {
    await ctx.db.update(
      sequenceEnrollments,
      { status: "unenrolled", dueAt: null, endedAt: now, updatedAt: now },
      sameStep(enrollment),
    );
    return { outcome: "stale" };
  }
  const address = addressFor(contact, step.channel);
  // The checks read side by side; the step after this one and the mailbox are read once per batch.
  const [exit, block, nextStep, mailbox] = await Promise.all([
    earlyExit(ctx, sequence, enrollment),
    consentBlock(ctx, contact, address),
    stepAfter(ctx, step),
    enrollment.mailboxId ? mailboxFor(ctx, enrollment.mailboxId) : null,
  ]);
  if (exit) {
    await ctx.db.batch([exitQuery(ctx, enrollment, exit, now)]);
    return { outcome: "exited", reason: exit };
  }
  const zone = contact.timeZone ?? sequence.defaultTimeZone;
  const skip = async (reason: string, end: ExitReason | null): Promise<SendOutcome> => {
    const id = newId("outreachMessage");
    const [claimed] = await ctx.db.batch([
      ctx.db
        .insertQuery(outreachMessages, {
          id,
          dedupeKey: `${enrollment.id}:${step.id}`,
          channel: step.channel,
          contactId: contact.id,
          enrollmentId: enrollment.id,
          sequenceId: sequence.id,
          stepId: step.id,
          campaignId: enrollment.campaignId,
          mailboxId: enrollment.mailboxId,
          status: "skipped",
          skipReason: reason,
          toAddress: address ?? "",
          text: "",
          scheduledFor: now,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: outreachMessages.id }),
    ]);
    if (claimed.length === 0) return { outcome: "duplicate" };
    await ctx.db.batch([
      ctx.db.insertQuery(outreachEvents, {
        id: newId("outreachEvent"),
        messageId: id,
        type: "skipped",
        contactId: contact.id,
        campaignId: enrollment.campaignId,
        sequenceId: sequence.id,
        detail: reason,
        occurredAt: now,
      }),
      end ? exitQuery(ctx, enrollment, end, now) : advanceQuery(ctx, enrollment, nextStep, now, zone, false),
    ]);
    return { outcome: "skipped", messageId: id, reason };
  };
  if (block) return skip(block.reason, block.exitReason);
  if (!address) return skip(step.channel === "email" ? "no_email_address" : "no_phone_number", null);
  // SMS, WhatsApp and calls go through the tenant's Twilio account; without one (or without a
  // WhatsApp sender for a WhatsApp step) the step is skipped with its reason.
  const channelSender =
    step.channel === "email"
      ? null
      : channelSenderFor(deps, await remembered(ctx, "outreach:twilio", () => twilioAccountFor(ctx)));
  if (step.channel !== "email" && !channelSender?.supports(step.channel)) return skip("channel_not_configured", null);

  const opening = nextWindowOpening(now, sequence.sendWindow, zone);
  if (!opening || opening.getTime() > now.getTime()) {
    const dueAt = opening ?? new Date(now.getTime() + 24 * 3600_000);
    await ctx.db.update(sequenceEnrollments, { dueAt, updatedAt: now }, sameStep(enrollment));
    return { outcome: "outside_window", dueAt };
  }

  if (
    step.channel === "email" &&
    mailbox &&
    mailbox.minSpacingSeconds > 0 &&
    !(job.slotAt && now.getTime() >= job.slotAt - 1000)
  ) {
    // One statement reserves the mailbox's next slot: spacing after its previous send, or now.
    const [reserved] = await ctx.db.update(
      mailboxes,
      {
        lastSentAt: sql`max(coalesce(${mailboxes.lastSentAt} + ${mailbox.minSpacingSeconds * 1000}, 0), ${now.getTime()})`,
      },
      eq(mailboxes.id, mailbox.id),
    );
    const slotAt = reserved?.lastSentAt?.getTime() ?? now.getTime();
    if (slotAt > now.getTime() + 1000) {
      await ctx.db.update(sequenceEnrollments, { dueAt: new Date(slotAt + sendLeaseMs) }, sameStep(enrollment));
      return { outcome: "deferred", slotAt };
    }
  }

  const data = await templateDataFor(ctx, contact, mailbox);
  const rendered = renderStep(step, data, `${enrollment.id}:${step.id}`);
  const dedupeKey = `${enrollment.id}:${step.id}`;
  const fresh = { id: newId("outreachMessage"), replyToken: newReplyToken() };
  const content = {
    channel: step.channel,
    contactId: contact.id,
    enrollmentId: enrollment.id,
    sequenceId: sequence.id,
    stepId: step.id,
    variantKey: rendered.variantKey,
    campaignId: enrollment.campaignId,
    mailboxId: mailbox?.id ?? null,
    status: "queued" as const,
    error: null,
    fromAddress: mailbox?.fromAddress ?? null,
    toAddress: address,
    subject: rendered.subject,
    text: rendered.body,
    transport: null,
    scheduledFor: now,
    updatedAt: now,
  };
  // The claim: the unique dedupe key lets one delivery through. A failed attempt's row is taken over.
  let claim = (
    await ctx.db
      .insertQuery(outreachMessages, { ...content, ...fresh, dedupeKey, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: outreachMessages.id, replyToken: outreachMessages.replyToken })
  )[0];
  if (!claim) {
    [claim] = await ctx.db
      .updateQuery(
        outreachMessages,
        content,
        and(eq(outreachMessages.dedupeKey, dedupeKey), eq(outreachMessages.status, "failed"))!,
      )
      .returning({ id: outreachMessages.id, replyToken: outreachMessages.replyToken });
    if (!claim) return { outcome: "duplicate" };
  }
  const messageId = claim.id;

  if (step.channel === "email" && mailbox) {
    const day = capDay(now);
    const counted = await ctx.db
      .insertQuery(mailboxDailySends, { mailboxId: mailbox.id, day, sent: 1 })
      .onConflictDoUpdate({
        target: [mailboxDailySends.tenantId, mailboxDailySends.mailboxId, mailboxDailySends.day],
        set: { sent: sql`${mailboxDailySends.sent} + 1` },
        setWhere: sql`${mailboxDailySends.sent} < ${mailbox.dailyCap}`,
      })
      .returning({ sent: mailboxDailySends.sent });
    if (counted.length === 0) {
      const dueAt = capResetsAt(now);
      await ctx.db.batch([
        ctx.db.deleteQuery(outreachMessages, eq(outreachMessages.id, messageId)),
        ctx.db.updateQuery(sequenceEnrollments, { dueAt, updatedAt: now }, sameStep(enrollment)),
      ]);
      return { outcome: "daily_cap", dueAt };
    }
  }

  const links = outreachLinks(deps, { id: messageId, tenantId: job.tenantId, replyToken: claim.replyToken! });
  const emailBody = step.channel === "email" ? links.body(rendered.body) : null;
  let providerMessageId: string;
  let transportName: string;
  try {
    if (step.channel === "email") {
      const transport = mailTransportFor({ secretsKey: deps.secretsKey, db: deps.db }, mailbox);
      transportName = transport.name;
      const result = await transport.send({
        tenantId: job.tenantId,
        kind: "outreach",
        to: address,
        subject: rendered.subject ?? "",
        text: emailBody!.text,
        html: emailBody!.html,
        dedupeKey: `outreach:${job.tenantId}:${dedupeKey}`,
        from: mailbox ? { address: mailbox.fromAddress, name: mailbox.fromName ?? undefined } : undefined,
        replyTo: links.replyTo,
        headers: links.headers,
      });
      providerMessageId = result.messageId;
    } else {
      transportName = "channel";
      const result = await channelSender!.send({
        channel: step.channel,
        to: address,
        body: rendered.body,
        statusCallbackUrl: twilioStatusCallbackUrl(deps.publicApiUrl, job.tenantId, messageId),
      });
      providerMessageId = result.providerMessageId;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await ctx.db.batch([
      ctx.db.updateQuery(
        outreachMessages,
        { status: "failed", error: message.slice(0, 1000), updatedAt: now },
        eq(outreachMessages.id, messageId),
      ),
      ctx.db.insertQuery(outreachEvents, {
        id: newId("outreachEvent"),
        messageId,
        type: "failed",
        contactId: contact.id,
        campaignId: enrollment.campaignId,
        sequenceId: sequence.id,
        detail: message.slice(0, 1000),
        occurredAt: now,
      }),
      ctx.db.updateQuery(
        sequenceEnrollments,
        { dueAt: new Date(now.getTime() + failedSendRetryMs), updatedAt: now },
        sameStep(enrollment),
      ),
    ]);
    return { outcome: "failed", messageId, error: message };
  }

  const queries: BatchItem<"sqlite">[] = [
    ...markSentQueries(
      ctx,
      {
        messageId,
        contactId: contact.id,
        channel: step.channel,
        to: address,
        subject: rendered.subject,
        sentAt: now,
        step: {
          sequenceId: sequence.id,
          stepId: step.id,
          variantKey: rendered.variantKey,
          enrollmentId: enrollment.id,
          campaignId: enrollment.campaignId,
        },
      },
      {
        providerMessageId,
        transport: transportName,
        messageIdHeader: step.channel === "email" ? links.messageIdHeader : null,
        body: emailBody,
      },
    ),
    advanceQuery(ctx, enrollment, nextStep, now, zone, true),
  ];
  await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return { outcome: "sent", messageId };
}

export type { MailboxRow };
