import { exitEnrollmentsQuery } from "../enrollments";
import type { ContactRow } from "../../contacts/public";
import { type EnrollmentStatusReason, outreachMessages } from "@crm/db";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { TenantContext } from "../../context";
import {
  contactUnsubscribedQueries,
  findContact,
  findMessageById,
  messageDomainEventQueries,
  type OutreachMessageRow,
  optOutContactQueries,
  outreachEventQuery,
  suppressQuery,
} from "./shared";

const m = outreachMessages;

/** Writes the queries in one batch (nothing when there are none). */
export async function runBatch(ctx: TenantContext, queries: BatchItem<"sqlite">[]) {
  if (queries.length > 0) await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}

/**
 * An open-pixel load. Counts every load; the first one (the update that takes the count to 1,
 * which SQLite serialises) also stamps first_opened_at, writes the `opened` event and
 * `email.opened`. Returns null for a message the tenant does not have.
 */
export async function recordOpen(ctx: TenantContext, messageId: string, at: Date) {
  const [updated] = await ctx.db
    .updateQuery(
      m,
      { openCount: sql`${m.openCount} + 1`, firstOpenedAt: sql`coalesce(${m.firstOpenedAt}, ${at.getTime()})` },
      eq(m.id, messageId),
    )
    .returning();
  if (!updated) return null;
  if (updated.openCount === 1) {
    await runBatch(ctx, [
      outreachEventQuery(ctx, updated, "opened", at),
      ...messageDomainEventQueries(ctx, "email.opened", updated),
    ]);
  }
  return updated;
}

/**
 * A followed tracked link: every click is an event with its URL and an `email.clicked`
 * domain event; the first one stamps first_clicked_at. A click also proves an open (images
 * blocked): an unopened message is counted opened at the same time.
 */
export async function recordClick(ctx: TenantContext, messageId: string, url: string, at: Date) {
  const before = await findMessageById(ctx, messageId);
  if (!before) return null;
  const [updated] = await ctx.db
    .updateQuery(
      m,
      {
        clickCount: sql`${m.clickCount} + 1`,
        firstClickedAt: sql`coalesce(${m.firstClickedAt}, ${at.getTime()})`,
      },
      eq(m.id, messageId),
    )
    .returning();
  if (!updated) return null;
  const queries: BatchItem<"sqlite">[] = [
    outreachEventQuery(ctx, updated, "clicked", at, url),
    ...messageDomainEventQueries(ctx, "email.clicked", updated, { url }),
  ];
  await runBatch(ctx, queries);
  if (!updated.firstOpenedAt) await recordImpliedOpen(ctx, updated, at);
  return updated;
}

async function recordImpliedOpen(ctx: TenantContext, message: OutreachMessageRow, at: Date) {
  const [opened] = await ctx.db
    .updateQuery(m, { firstOpenedAt: at }, and(eq(m.id, message.id), isNull(m.firstOpenedAt))!)
    .returning();
  if (opened) {
    await runBatch(ctx, [
      outreachEventQuery(ctx, opened, "opened", at, "implied by a click"),
      ...messageDomainEventQueries(ctx, "email.opened", opened),
    ]);
  }
}

export type UnsubscribeOutcome = "unsubscribed" | "already_unsubscribed";

/**
 * The recipient of a message asked to stop (unsubscribe link, one-click POST, or a reply
 * classified as such): the contact is opted out (source says how), the address suppressed,
 * their enrollments ended, and `contact.unsubscribed` recorded, with the message's stamp, all
 * in one batch: a Worker stopped part way leaves nothing, and the request can be repeated.
 * Repeats change nothing. Null for a message the tenant does not have.
 */
export async function unsubscribeMessageRecipient(
  ctx: TenantContext,
  messageId: string,
  at: Date,
  source: UnsubscribeSource,
  /** For a reply: its class and action, kept on the enrollments it ends. */
  statusReason: EnrollmentStatusReason | null = null,
): Promise<{ outcome: UnsubscribeOutcome; message: OutreachMessageRow } | null> {
  const message = await findMessageById(ctx, messageId);
  if (!message) return null;
  if (message.unsubscribedAt) return { outcome: "already_unsubscribed", message };
  const contact = await findContact(ctx, message.contactId);
  await runBatch(ctx, unsubscribeRecipientQueries(ctx, message, contact, at, source, statusReason));
  return { outcome: "unsubscribed", message: { ...message, unsubscribedAt: at, updatedAt: at } };
}

export type UnsubscribeSource = "unsubscribe_link" | "one_click" | "reply";

/**
 * What unsubscribing a message's recipient writes (unsubscribeMessageRecipient), for a caller
 * that writes it with its own batch; none when the message, as read, was unsubscribed before.
 */
export function unsubscribeRecipientQueries(
  ctx: TenantContext,
  message: OutreachMessageRow,
  contact: ContactRow | undefined,
  at: Date,
  source: UnsubscribeSource,
  statusReason: EnrollmentStatusReason | null,
): BatchItem<"sqlite">[] {
  if (message.unsubscribedAt) return [];
  const consentSource = `${source}:${message.id}`;
  const queries: BatchItem<"sqlite">[] = [
    ctx.db.updateQuery(m, { unsubscribedAt: at, updatedAt: at }, and(eq(m.id, message.id), isNull(m.unsubscribedAt))!),
    outreachEventQuery(ctx, message, "unsubscribed", at, source),
    suppressQuery(ctx, message.toAddress, "unsubscribed", `message:${message.id}`, at),
  ];
  if (contact) {
    queries.push(
      ...optOutContactQueries(ctx, contact, consentSource, at),
      exitEnrollmentsQuery(ctx, { contactId: contact.id }, "unsubscribed", at, statusReason),
      ...contactUnsubscribedQueries(ctx, contact, { messageId: message.id, source }),
    );
  }
  return queries;
}

export interface BounceReport {
  /** Permanent (5.x.x, hard): the address is suppressed. Transient bounces are recorded only. */
  permanent: boolean;
  /** The server's diagnostic ("550 5.1.1 user unknown"). */
  diagnostic: string;
  at: Date;
}

/**
 * A message bounced (a DSN arrived, or the provider's bounce webhook): bounced_at, the
 * `bounced` event and `email.bounced` once; for a permanent bounce also the suppression and
 * the end of the contact's enrollments (a transient one, such as a full mailbox, is only
 * recorded: the next step may well arrive). Null for an unknown message.
 */
export async function recordBounce(ctx: TenantContext, messageId: string, report: BounceReport) {
  const message = await findMessageById(ctx, messageId);
  if (!message) return null;
  if (message.bouncedAt) return { recorded: false, message };
  // The stamp goes in the same batch as what it stands for: a Worker stopped part way leaves
  // nothing, so the DSN's or webhook's retry records the bounce whole.
  const stamped: OutreachMessageRow = { ...message, bouncedAt: report.at, updatedAt: report.at };
  const queries: BatchItem<"sqlite">[] = [
    ctx.db.updateQuery(m, { bouncedAt: report.at, updatedAt: report.at }, and(eq(m.id, messageId), isNull(m.bouncedAt))!),
    outreachEventQuery(ctx, stamped, "bounced", report.at, report.diagnostic.slice(0, 1000)),
    ...messageDomainEventQueries(ctx, "email.bounced", stamped, {
      permanent: report.permanent,
      diagnostic: report.diagnostic.slice(0, 1000),
    }),
  ];
  if (report.permanent) {
    queries.push(suppressQuery(ctx, stamped.toAddress, "bounced", `message:${stamped.id}`, report.at));
    if (stamped.contactId)
      queries.push(exitEnrollmentsQuery(ctx, { contactId: stamped.contactId }, "bounced", report.at));
  }
  await runBatch(ctx, queries);
  return { recorded: true, message: stamped };
}
