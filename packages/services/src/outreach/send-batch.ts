// The queue consumer's batch of due steps, sent set-based: a handful of reads for the whole
// batch, rendering in JS, one claim statement and one write batch. A step this path does not
// take (a mailbox, a non-email channel, an exit, a consent skip, a closed window, a failed
// attempt to take over) goes through sendEnrollmentStep on its own, with every check it makes.
import {
  activities,
  companies,
  contacts,
  deals,
  newId,
  outboxMessages,
  outreachMessages,
  sequenceEnrollments,
  sequences,
  sequenceSteps,
  suppressions,
} from "@crm/db";
import { addDelay, nextWindowOpening } from "@crm/outreach";
import type { BatchItem } from "drizzle-orm/batch";
import { and, eq, isNull, max, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { remembered, type TenantContext } from "../context";
import { DevOutboxTransport } from "../mail/transport";
import type { EnrollmentRow } from "./enrollments";
import { newReplyToken, outreachLinks } from "./links";
import { signTrackingTokens } from "./tracking/tokens";
import { addressFor, renderStep, templateData } from "./render";
import { type SendDeps, sendEnrollmentStep, type SendJob, type SendOutcome, stepAfter, systemContext } from "./send";
import { sentStepEventCopyQueries } from "./sent";
import type { SequenceRow, SequenceStepRow } from "./sequences";

type Batch = [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];

// The columns a plain send reads of its enrollment and contact, and only these: D1 hands a
// batch's 250 whole rows of each back slower than the batch's own writes run.
const enrollmentColumns = {
  id: sequenceEnrollments.id,
  sequenceId: sequenceEnrollments.sequenceId,
  contactId: sequenceEnrollments.contactId,
  campaignId: sequenceEnrollments.campaignId,
  status: sequenceEnrollments.status,
  mailboxId: sequenceEnrollments.mailboxId,
  nextStepId: sequenceEnrollments.nextStepId,
  createdAt: sequenceEnrollments.createdAt,
};
const contactColumns = {
  id: contacts.id,
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  emails: contacts.emails,
  primaryEmail: contacts.primaryEmail,
  title: contacts.title,
  phones: contacts.phones,
  companyId: contacts.companyId,
  consentStatus: contacts.consentStatus,
  doNotContact: contacts.doNotContact,
  timeZone: contacts.timeZone,
  customFields: contacts.customFields,
};
type SendEnrollment = Pick<EnrollmentRow, keyof typeof enrollmentColumns>;
type SendContact = Pick<typeof contacts.$inferSelect, keyof typeof contactColumns>;

/** `column in (...)` over one JSON parameter: any number of values under D1's 100 bound parameters. */
const inJson = (column: SQLiteColumn, values: Iterable<string>) =>
  sql`${column} in (select value from json_each(${JSON.stringify([...new Set(values)])}))`;

/**
 * Several steps, sharing the batch's lookups. Per tenant, the plain sends (an email step, no
 * mailbox: the dev outbox) are sent together (sendTogether); the rest one by one,
 * `concurrency` at a time. Each send stands on its own (claimed by its dedupe key), so one that
 * throws does not stop the others; the first error is thrown once all have run, and a retried
 * batch finds the sent ones moved on.
 */
export async function sendEnrollmentSteps(deps: SendDeps, jobs: SendJob[], concurrency = 8): Promise<SendOutcome[]> {
  const shared: SendDeps = { ...deps, memo: deps.memo ?? new Map() };
  const outcomes: SendOutcome[] = new Array(jobs.length);
  const errors: unknown[] = [];
  const byTenant = new Map<string, number[]>();
  jobs.forEach((job, i) => {
    const indexes = byTenant.get(job.tenantId);
    if (indexes) indexes.push(i);
    else byTenant.set(job.tenantId, [i]);
  });
  const alone: number[] = [];
  for (const [tenantId, indexes] of byTenant) {
    try {
      const together = await sendTogether(
        shared,
        tenantId,
        indexes.map((i) => jobs[i]!),
      );
      together.forEach((outcome, k) => {
        if (outcome) outcomes[indexes[k]!] = outcome;
        else alone.push(indexes[k]!);
      });
    } catch (error) {
      errors.push(error);
    }
  }
  let next = 0;
  const worker = async () => {
    while (next < alone.length) {
      const i = alone[next++]!;
      try {
        outcomes[i] = await sendEnrollmentStep(shared, jobs[i]!);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, alone.length) }, worker));
  if (errors.length > 0) throw errors[0];
  return outcomes;
}

/** A step sendTogether sends: everything its rows need, read and rendered. */
interface PlainSend {
  index: number;
  enrollment: SendEnrollment;
  sequence: SequenceRow;
  step: SequenceStepRow;
  contact: SendContact;
  address: string;
  zone: string;
}

/**
 * The plain sends among one tenant's jobs, set-based; null for each job to send alone. Reads,
 * two round trips: the enrollments with their contacts, then (side by side) won deals, booked
 * meetings, suppressions, companies and open deals for all of them; the sequence, its steps and
 * the tenant once per batch. Writes, one D1 batch (one transaction): the outreach_messages rows
 * claimed by their unique dedupe key, and only for the rows claimed there the dev outbox rows,
 * their `sent` events, the enrollments advanced and the `email.sent` domain events; then which
 * rows were claimed (a key claimed before is a duplicate). All of it commits or none of it: a
 * failed batch leaves nothing behind and the queue message is retried.
 */
async function sendTogether(deps: SendDeps, tenantId: string, jobs: SendJob[]): Promise<(SendOutcome | null)[]> {
  const outcomes: (SendOutcome | null)[] = jobs.map(() => null);
  // A deferred send carries its reserved spacing slot: that is the single-send path's business.
  const candidates = jobs.flatMap((job, index) => (job.slotAt === undefined ? [{ job, index }] : []));
  if (candidates.length === 0) return outcomes;
  const now = new Date(Math.max(Math.max(...candidates.map((c) => c.job.at)), Date.now()));
  const ctx = systemContext(deps, tenantId, `batch:${candidates[0]!.job.enrollmentId}`);

  const enrollmentIds = JSON.stringify(candidates.map((c) => c.job.enrollmentId));
  const [[enrollmentRows, contactRows], stepById] = await Promise.all([
    deps.db.batch([
      // By id (fromMatches): `tenant_id = ?` alone would walk every enrollment of the tenant.
      ctx.db.aggregateQuery(sequenceEnrollments, enrollmentColumns, {
        where: sql`${sequenceEnrollments.id} in (select value from json_each(${enrollmentIds}))`,
        fromMatches: true,
      }),
      ctx.db.aggregateQuery(contacts, contactColumns, {
        where: sql`${contacts.id} in (${ctx.db.scopedSelectIds(
          sequenceEnrollments,
          sequenceEnrollments.contactId,
          sql`${sequenceEnrollments.id} in (select value from json_each(${enrollmentIds}))`,
          { fromMatches: true },
        )})`,
        fromMatches: true,
      }),
    ]),
    rowsById(
      ctx,
      "step",
      candidates.map((c) => c.job.stepId),
      (id) => ctx.db.findFirst(sequenceSteps, and(eq(sequenceSteps.id, id), isNull(sequenceSteps.deletedAt))!),
    ),
  ]);
  const sequenceById = await rowsById(
    ctx,
    "sequence",
    [...stepById.values()].map((step) => step.sequenceId),
    (id) => ctx.db.findFirst(sequences, and(eq(sequences.id, id), isNull(sequences.deletedAt))!),
  );
  const enrollmentById = new Map(enrollmentRows.map((row) => [row.id, row as SendEnrollment]));
  const contactById = new Map(contactRows.map((row) => [row.id, row as SendContact]));
  // The plain cases only: a mailbox, a missing contact, a paused sequence, another channel, no
  // address or a contact who must not be mailed go alone (that path writes what it decides).
  let plain: PlainSend[] = [];
  for (const { job, index } of candidates) {
    const enrollment = enrollmentById.get(job.enrollmentId);
    if (!enrollment || enrollment.status !== "active" || enrollment.nextStepId !== job.stepId) {
      outcomes[index] = { outcome: "stale" };
      continue;
    }
    const step = stepById.get(job.stepId);
    const sequence = sequenceById.get(enrollment.sequenceId);
    if (!sequence || !step) {
      outcomes[index] = { outcome: "stale" };
      continue;
    }
    const contact = contactById.get(enrollment.contactId);
    if (enrollment.mailboxId !== null || sequence.status !== "active" || !contact || step.channel !== "email") continue;
    const address = addressFor(contact, "email");
    if (!address || contact.doNotContact || contact.consentStatus === "opted_out") continue;
    plain.push({
      index,
      enrollment,
      sequence,
      step,
      contact,
      address,
      zone: contact.timeZone ?? sequence.defaultTimeZone,
    });
  }
  if (plain.length === 0) return outcomes;

  const contactIds = plain.map((p) => p.contact.id);
  const normalised = (address: string) => address.trim().toLowerCase();
  const [[won, meetings, suppressed, companyRows, openDeals], tenant] = await Promise.all([
    deps.db.batch([
      ctx.db.aggregateQuery(
        deals,
        { contactId: deals.contactId, at: max(deals.updatedAt) },
        { where: and(eq(deals.status, "won"), inJson(deals.contactId, contactIds)), groupBy: [deals.contactId] },
      ),
      ctx.db.aggregateQuery(
        activities,
        { contactId: activities.recordId, at: max(activities.createdAt) },
        {
          where: and(
            eq(activities.recordType, "contact"),
            eq(activities.type, "meeting"),
            inJson(activities.recordId, contactIds),
          ),
          groupBy: [activities.recordId],
        },
      ),
      ctx.db.aggregateQuery(
        suppressions,
        { address: suppressions.address },
        {
          where: inJson(
            suppressions.address,
            plain.map((p) => normalised(p.address)),
          ),
        },
      ),
      ctx.db.selectQuery(companies, {
        where: inJson(
          companies.id,
          plain.flatMap((p) => (p.contact.companyId ? [p.contact.companyId] : [])),
        ),
        fromMatches: true,
      }),
      // Sought by contact: unordered (ORDER BY created_at walked every deal of the tenant by
      // its creation index; the few per contact are sorted below) and `+status` (not the
      // tenant's status index, every open deal of the tenant).
      ctx.db.selectQuery(deals, {
        where: and(sql`+${deals.status} = ${"active"}`, inJson(deals.contactId, contactIds)),
      }),
    ]),
    remembered(ctx, "outreach:tenant", () => ctx.db.tenant()),
  ]);
  const wonAt = new Map(won.map((r) => [r.contactId!, r.at!.getTime()]));
  const meetingAt = new Map(meetings.map((r) => [r.contactId, r.at!.getTime()]));
  const suppressedAddresses = new Set(suppressed.map((r) => r.address));
  const companyById = new Map(companyRows.map((c) => [c.id, c as typeof companies.$inferSelect]));
  // The newest open deal per contact is the one its tokens read (as templateDataFor's).
  const newestDeal = new Map<string, typeof deals.$inferSelect>();
  for (const deal of openDeals as (typeof deals.$inferSelect)[]) {
    const held = deal.contactId ? newestDeal.get(deal.contactId) : undefined;
    if (deal.contactId && (!held || newerDeal(deal, held))) newestDeal.set(deal.contactId, deal);
  }

  // Exits (a won deal, a booked meeting) and suppressed addresses go alone: that path writes
  // the exit or the skip with its reason; so does a step outside its window (moved to its opening).
  const opening = new Map<string, boolean>();
  const windowOpen = (p: PlainSend) => {
    const key = `${p.sequence.id}\n${p.zone}`;
    let open = opening.get(key);
    if (open === undefined) {
      const at = nextWindowOpening(now, p.sequence.sendWindow, p.zone);
      open = at !== null && at.getTime() <= now.getTime();
      opening.set(key, open);
    }
    return open;
  };
  plain = plain.filter((p) => {
    const since = p.enrollment.createdAt.getTime();
    if (p.sequence.exitRules.onDealWon !== false && (wonAt.get(p.contact.id) ?? -Infinity) >= since) return false;
    if (p.sequence.exitRules.onMeetingBooked !== false && (meetingAt.get(p.contact.id) ?? -Infinity) >= since)
      return false;
    if (suppressedAddresses.has(normalised(p.address))) return false;
    return windowOpen(p);
  });
  if (plain.length === 0) return outcomes;

  // Rendered with ids chosen here, so the tracking links and Message-ID name the row they claim;
  // each message's pixel and unsubscribe tokens signed together first.
  const ids = plain.map(() => newId("outreachMessage"));
  const tokens = await signTrackingTokens(
    deps.secretsKey,
    ids.flatMap((messageId) => [
      { kind: "open" as const, tenantId, messageId },
      { kind: "unsubscribe" as const, tenantId, messageId },
    ]),
  );
  const sends = plain.map((p, i) => {
    const dedupeKey = `${p.enrollment.id}:${p.step.id}`;
    const data = templateData(
      p.contact,
      p.contact.companyId ? (companyById.get(p.contact.companyId) ?? null) : null,
      newestDeal.get(p.contact.id) ?? null,
      null,
      tenant?.name ?? null,
    );
    const content = renderStep(p.step, data, dedupeKey);
    const id = ids[i]!;
    const replyToken = newReplyToken();
    const links = outreachLinks(
      deps,
      { id, tenantId, replyToken },
      { open: tokens[2 * i]!, unsubscribe: tokens[2 * i + 1]! },
    );
    return {
      ...p,
      id,
      outboxId: newId("outbox"),
      replyToken,
      dedupeKey,
      content,
      links,
      body: links.body(content.body),
    };
  });
  const messageIds = sends.map((r) => r.id);
  const results = await ctx.db.batch([
    ...(ctx.db.insertJsonQueries(
      outreachMessages,
      sends.map((r) => ({
        id: r.id,
        dedupeKey: r.dedupeKey,
        channel: r.step.channel,
        contactId: r.contact.id,
        enrollmentId: r.enrollment.id,
        sequenceId: r.sequence.id,
        stepId: r.step.id,
        variantKey: r.content.variantKey,
        campaignId: r.enrollment.campaignId,
        mailboxId: null,
        status: "sent" as const,
        error: null,
        fromAddress: null,
        toAddress: r.address,
        subject: r.content.subject,
        text: r.body.text,
        html: r.body.html,
        messageIdHeader: r.links.messageIdHeader,
        replyToken: r.replyToken,
        providerMessageId: r.outboxId,
        transport: DevOutboxTransport.transportName,
        scheduledFor: now,
        sentAt: now,
        createdAt: now,
        updatedAt: now,
      })),
      { onConflictDoNothing: true },
    ) as Batch),
    // The dev outbox rows copied from the message rows this batch inserted (each names its
    // outbox row in provider_message_id): the bodies travel to D1 once.
    ctx.db.copyRowsQuery(
      outboxMessages,
      outreachMessages,
      {
        id: outreachMessages.providerMessageId,
        kind: sql`'outreach'`,
        toAddress: outreachMessages.toAddress,
        subject: sql`coalesce(${outreachMessages.subject}, '')`,
        text: outreachMessages.text,
        html: outreachMessages.html,
        transport: sql`${DevOutboxTransport.transportName}`,
        dedupeKey: sql`${`outreach:${tenantId}:`} || ${outreachMessages.dedupeKey}`,
        // As the transport stamps a row it writes: the wall clock (`now` may be a tick's time).
        createdAt: sql`${Date.now()}`,
      },
      inJson(outreachMessages.id, messageIds),
    ),
    // Their `sent` and `email.sent` events, made from the message rows this batch inserted.
    ...sentStepEventCopyQueries(ctx, messageIds, now),
    ...(await advanceQueries(ctx, sends, messageIds, now)),
    ctx.db.aggregateQuery(
      outreachMessages,
      { id: outreachMessages.id },
      { where: inJson(outreachMessages.id, messageIds) },
    ),
  ] as unknown as Batch);
  const claimed = new Set((results.at(-1) as { id: string }[]).map((r) => r.id));
  const unclaimed = sends.filter((r) => !claimed.has(r.id));
  for (const r of sends) if (claimed.has(r.id)) outcomes[r.index] = { outcome: "sent", messageId: r.id };
  if (unclaimed.length > 0) {
    // Sent, skipped or in flight before: a duplicate. A failed attempt is taken over alone.
    const failed = new Set(
      (
        await ctx.db.aggregateQuery(
          outreachMessages,
          { dedupeKey: outreachMessages.dedupeKey },
          {
            where: and(
              eq(outreachMessages.status, "failed"),
              inJson(
                outreachMessages.dedupeKey,
                unclaimed.map((r) => r.dedupeKey),
              ),
            ),
          },
        )
      ).map((r) => r.dedupeKey),
    );
    for (const r of unclaimed) if (!failed.has(r.dedupeKey)) outcomes[r.index] = { outcome: "duplicate" };
  }
  return outcomes;
}

/** Created later (the id, time-ordered, breaks a tie). */
function newerDeal(a: typeof deals.$inferSelect, b: typeof deals.$inferSelect): boolean {
  const at = a.createdAt.getTime() - b.createdAt.getTime();
  return at > 0 || (at === 0 && a.id > b.id);
}

/** Rows of a few ids, each read once per batch (a batch's sends share a sequence and its steps). */
async function rowsById<T>(
  ctx: TenantContext,
  kind: string,
  ids: string[],
  read: (id: string) => Promise<T | undefined>,
): Promise<Map<string, T>> {
  const unique = [...new Set(ids)];
  const rows = await Promise.all(
    unique.map((id) => remembered(ctx, `outreach:${kind}:${id}`, async () => (await read(id)) ?? undefined)),
  );
  return new Map(unique.flatMap((id, i) => (rows[i] ? [[id, rows[i]] as const] : [])));
}

/** The enrollments still waiting on this step (a redelivered batch finds them moved on). */
function stillOnStep(stepId: string, enrollmentIds: string[]) {
  return and(
    inJson(sequenceEnrollments.id, enrollmentIds),
    eq(sequenceEnrollments.nextStepId, stepId),
    eq(sequenceEnrollments.status, "active"),
  )!;
}

/**
 * The sent enrollments moved on, as sendEnrollmentStep's advance does one: to the next live
 * step, due after its delay in the contact's zone, or completed. One statement per step and
 * due time (a batch of one step in one zone is one statement).
 */
async function advanceQueries(
  ctx: TenantContext,
  sent: PlainSend[],
  messageIds: string[],
  now: Date,
): Promise<BatchItem<"sqlite">[]> {
  // Only an enrollment whose message this batch claimed moves on: the enrollments of the
  // messages it inserted, each message sought by its id (no index by enrollment needed).
  const claimedHere = sql`${sequenceEnrollments.id} in (select m.enrollment_id from ${outreachMessages} m where m.tenant_id = ${ctx.tenant.id} and m.id in (select value from json_each(${JSON.stringify(messageIds)})))`;
  const groups = new Map<string, { stepId: string; next: SequenceStepRow | null; dueAt: Date | null; ids: string[] }>();
  for (const s of sent) {
    const next = await stepAfter(ctx, s.step);
    const dueAt = next ? addDelay(now, next.delayAmount, next.delayUnit, s.zone) : null;
    const key = `${s.step.id}\n${next?.id ?? ""}\n${dueAt?.getTime() ?? ""}`;
    const group = groups.get(key);
    if (group) group.ids.push(s.enrollment.id);
    else groups.set(key, { stepId: s.step.id, next, dueAt, ids: [s.enrollment.id] });
  }
  const common = { stepsCompleted: sql`${sequenceEnrollments.stepsCompleted} + 1`, lastSentAt: now, updatedAt: now };
  return [...groups.values()].map(({ stepId, next, dueAt, ids }) =>
    ctx.db.updateQuery(
      sequenceEnrollments,
      next
        ? { ...common, nextStepId: next.id, dueAt }
        : { ...common, status: "completed", nextStepId: null, dueAt: null, endedAt: now },
      and(stillOnStep(stepId, ids), claimedHere)!,
      { fromMatches: true },
    ),
  );
}
