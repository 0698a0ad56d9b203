// One email to one contact outside any sequence: written by a person (POST /outreach/emails,
// the AI composer) or by the pipeline agent (its follow-up). Sent the way a sequence step is:
// consent and suppressions checked, the outreach_messages row claimed by its dedupe key BEFORE
// the send, the mailbox's daily cap, the reply-to token that threads replies back, tracked links,
// the unsubscribe footer, then the `sent` event, the `email.sent` domain event and, for a deal,
// an email activity on the deal's timeline (the contact's timeline shows the message itself).
import { activities, contacts, deals, mailboxDailySends, newId, outreachEvents, outreachMessages } from "@crm/db";
import { ApiError, type FieldError } from "@crm/errors";
import { capDay, capResetsAt } from "@crm/outreach";
import type { BatchItem } from "drizzle-orm/batch";
import { eq, sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import { MailTransportError } from "../mail/transport";
import { type ConsentBlock, consentBlock } from "./consent";
import { newReplyToken, outreachLinks } from "./links";
import { defaultMailbox, findMailbox } from "./mailboxes";
import { addressFor, type MailboxRow } from "./render";
import type { SendDeps } from "./send";
import { markSentQueries } from "./sent";
import { getOutreachMessage } from "./tracking/messages";
import { mailTransportFor } from "./transport-factory";

type ContactRow = typeof contacts.$inferSelect;

export interface OneOffEmail {
  contact: ContactRow;
  /** null: the dev outbox (a tenant without a mailbox), as for sequences. */
  mailbox: MailboxRow | null;
  subject: string;
  text: string;
  /** The sender's own HTML part; without it the text is turned into HTML. */
  html?: string | null | undefined;
  dealId?: string | null | undefined;
  /** Unique per logical send: a second send with the same key is refused as a duplicate. */
  dedupeKey: string;
  trackOpens?: boolean | undefined;
  trackClicks?: boolean | undefined;
  now: Date;
}

/** Why a contact may not be emailed at all. */
export type RecipientRefusal = { code: "no_email_address" | ConsentBlock["reason"]; reason: string };

export type OneOffRefusal =
  RecipientRefusal | { code: "daily_cap"; reason: string; retryAt: Date } | { code: "duplicate"; reason: string };

export type OneOffSend =
  | {
      outcome: "sent";
      messageId: string;
      to: string;
      subject: string;
      transport: string;
      /** What records the send; the caller writes them in one batch (with its own statements). */
      queries: BatchItem<"sqlite">[];
    }
  | ({ outcome: "refused" } & OneOffRefusal)
  | { outcome: "failed"; messageId: string; error: string; cause: unknown };

const consentReasons: Record<ConsentBlock["reason"], string> = {
  do_not_contact: "is marked do not contact",
  opted_out: "has unsubscribed (opted out)",
  suppressed_unsubscribed: "is on the suppression list (unsubscribed)",
  suppressed_bounced: "is on the suppression list (bounced)",
  suppressed_complained: "is on the suppression list (marked as spam)",
  suppressed_manual: "is on the suppression list (added by hand)",
};

/** Why this contact may not be emailed (no address, consent, suppression), or its address. */
export async function oneOffRecipient(
  ctx: TenantContext,
  contact: ContactRow,
): Promise<{ address: string } | RecipientRefusal> {
  const address = addressFor(contact, "email");
  if (!address) return { code: "no_email_address", reason: `Contact ${contact.id} has no email address` };
  const block = await consentBlock(ctx, contact, address);
  if (!block) return { address };
  const who = block.reason.startsWith("suppressed_") ? `The address ${address}` : `Contact ${contact.id}`;
  return { code: block.reason, reason: `${who} ${consentReasons[block.reason]}: it may not be emailed` };
}

export async function sendOneOffEmail(ctx: TenantContext, deps: SendDeps, email: OneOffEmail): Promise<OneOffSend> {
  const { contact, mailbox, subject, now } = email;
  const recipient = await oneOffRecipient(ctx, contact);
  if (!("address" in recipient)) return { outcome: "refused", ...recipient };
  const address = recipient.address;

  const messageId = newId("outreachMessage");
  const replyToken = newReplyToken();
  const [claimed] = await ctx.db
    .insertQuery(outreachMessages, {
      id: messageId,
      dedupeKey: email.dedupeKey,
      channel: "email",
      contactId: contact.id,
      mailboxId: mailbox?.id ?? null,
      status: "queued",
      fromAddress: mailbox?.fromAddress ?? null,
      toAddress: address,
      subject,
      text: email.text,
      html: email.html ?? null,
      replyToken,
      scheduledFor: now,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: outreachMessages.id });
  if (!claimed) return { outcome: "refused", code: "duplicate", reason: "This email was already sent." };

  if (mailbox) {
    const counted = await ctx.db
      .insertQuery(mailboxDailySends, { mailboxId: mailbox.id, day: capDay(now), sent: 1 })
      .onConflictDoUpdate({
        target: [mailboxDailySends.tenantId, mailboxDailySends.mailboxId, mailboxDailySends.day],
        set: { sent: sql`${mailboxDailySends.sent} + 1` },
        setWhere: sql`${mailboxDailySends.sent} < ${mailbox.dailyCap}`,
      })
      .returning({ sent: mailboxDailySends.sent });
    if (counted.length === 0) {
      await ctx.db.delete(outreachMessages, eq(outreachMessages.id, messageId));
      return {
        outcome: "refused",
        code: "daily_cap",
        reason: `Mailbox ${mailbox.name} reached its daily cap of ${mailbox.dailyCap}.`,
        retryAt: capResetsAt(now),
      };
    }
  }

  const links = outreachLinks(deps, { id: messageId, tenantId: ctx.tenant.id, replyToken });
  const body = links.body(email.text, {
    html: email.html,
    trackClicks: email.trackClicks !== false,
    trackOpens: email.trackOpens !== false,
  });
  const transport = mailTransportFor({ secretsKey: deps.secretsKey, db: deps.db }, mailbox);
  let providerMessageId: string;
  try {
    const result = await transport.send({
      tenantId: ctx.tenant.id,
      kind: "outreach",
      to: address,
      subject,
      text: body.text,
      html: body.html,
      dedupeKey: `outreach:${ctx.tenant.id}:${email.dedupeKey}`,
      from: mailbox ? { address: mailbox.fromAddress, name: mailbox.fromName ?? undefined } : undefined,
      replyTo: links.replyTo,
      headers: links.headers,
    });
    providerMessageId = result.messageId;
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    await ctx.db.batch([
      ctx.db.updateQuery(
        outreachMessages,
        { status: "failed", error: message, updatedAt: now },
        eq(outreachMessages.id, messageId),
      ),
      ctx.db.insertQuery(outreachEvents, {
        id: newId("outreachEvent"),
        messageId,
        type: "failed",
        contactId: contact.id,
        detail: message,
        occurredAt: now,
      }),
    ]);
    return { outcome: "failed", messageId, error: message, cause: error };
  }

  const queries: BatchItem<"sqlite">[] = markSentQueries(
    ctx,
    {
      messageId,
      contactId: contact.id,
      channel: "email",
      to: address,
      subject,
      sentAt: now,
      step: null,
      dealId: email.dealId ?? null,
    },
    { providerMessageId, transport: transport.name, messageIdHeader: links.messageIdHeader, body },
  );
  if (email.dealId)
    queries.push(
      ctx.db.insertQuery(activities, {
        id: newId("activity"),
        type: "email",
        recordType: "deal",
        recordId: email.dealId,
        // Its summary reads "Email: <subject>"; the body says to whom.
        subject: subject.slice(0, 500),
        body: `To ${address}\n\n${email.text}`,
        occurredAt: now,
        actorId: ctx.actor.id,
        createdAt: now,
        updatedAt: now,
      }),
    );
  return { outcome: "sent", messageId, to: address, subject, transport: transport.name, queries };
}

export interface ContactEmailInput {
  contactId: string;
  mailboxId?: string | undefined;
  subject: string;
  body: string;
  html?: string | undefined;
  dealId?: string | undefined;
  trackOpens?: boolean | undefined;
  trackClicks?: boolean | undefined;
}

/** Where a refusal points in the request. */
const refusalPath: Record<OneOffRefusal["code"], string> = {
  no_email_address: "body.contactId",
  do_not_contact: "body.contactId",
  opted_out: "body.contactId",
  suppressed_unsubscribed: "body.contactId",
  suppressed_bounced: "body.contactId",
  suppressed_complained: "body.contactId",
  suppressed_manual: "body.contactId",
  daily_cap: "body.mailboxId",
  duplicate: "body",
};

/**
 * POST /outreach/emails: the email sent now through the named mailbox, else the tenant's
 * default, else the dev outbox (said so in `delivery` and `notice`). An unknown contact is 404;
 * a contact who may not be emailed, an unknown deal or mailbox is 422 at the field; a full daily
 * cap is 429 until the cap resets; a transport's refusal is 502 with its answer (the message
 * stays in the outbox as failed).
 */
export async function sendContactEmail(ctx: TenantContext, deps: SendDeps, input: ContactEmailInput) {
  const [contact, deal, mailbox] = await Promise.all([
    ctx.db.findFirst(contacts, eq(contacts.id, input.contactId)),
    input.dealId ? ctx.db.findFirst(deals, eq(deals.id, input.dealId)) : null,
    input.mailboxId
      ? findMailbox(ctx, input.mailboxId).catch((error: unknown) => {
          if (error instanceof ApiError && error.status === 404) return undefined;
          throw error;
        })
      : defaultMailbox(ctx),
  ]);
  if (!contact) throw new ApiError("NOT_FOUND", `Contact ${input.contactId} was not found`);
  const errors: FieldError[] = [];
  if (input.dealId && !deal) errors.push({ path: "body.dealId", message: `Deal ${input.dealId} was not found` });
  if (mailbox === undefined)
    errors.push({ path: "body.mailboxId", message: `Mailbox ${input.mailboxId} was not found` });
  if (errors.length > 0) throw new ApiError("VALIDATION_FAILED", errors.map((e) => e.message).join("; "), { errors });

  const sent = await sendOneOffEmail(ctx, deps, {
    contact,
    mailbox: mailbox ?? null,
    subject: input.subject,
    text: input.body,
    html: input.html,
    dealId: input.dealId,
    // A fresh key per request: a retried request is answered by its Idempotency-Key instead.
    dedupeKey: `email:${crypto.randomUUID()}`,
    trackOpens: input.trackOpens,
    trackClicks: input.trackClicks,
    now: new Date(),
  });
  if (sent.outcome === "refused") {
    if (sent.code === "daily_cap")
      throw new ApiError("RATE_LIMITED", sent.reason, {
        errors: [{ path: refusalPath.daily_cap, message: sent.reason }],
        extensions: { retryAt: sent.retryAt.toISOString() },
        headers: { "Retry-After": String(Math.max(1, Math.ceil((sent.retryAt.getTime() - Date.now()) / 1000))) },
      });
    throw new ApiError("VALIDATION_FAILED", sent.reason, {
      errors: [{ path: refusalPath[sent.code], message: sent.reason }],
      extensions: { reason: sent.code },
    });
  }
  if (sent.outcome === "failed") {
    const cause = sent.cause instanceof MailTransportError ? sent.cause : null;
    throw new ApiError("UPSTREAM_ERROR", sent.error, {
      extensions: {
        messageId: sent.messageId,
        transport: cause?.transport ?? null,
        permanent: cause?.permanent ?? null,
        providerCode: cause?.providerCode ?? null,
      },
    });
  }
  await ctx.db.batch(sent.queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  const devOutbox = !mailbox || mailbox.transport === "dev_outbox";
  return {
    message: await getOutreachMessage(ctx, sent.messageId),
    delivery: devOutbox ? ("dev_outbox" as const) : ("mailbox" as const),
    notice: devOutbox
      ? mailbox
        ? `Mailbox ${mailbox.name} is a dev outbox: the email was kept there (GET /api/v1/dev/outbox), not delivered to ${sent.to}.`
        : `The organization has no mailbox: the email went to the dev outbox (GET /api/v1/dev/outbox), not to ${sent.to}. Add a mailbox under Settings, Mailboxes to deliver it.`
      : null,
  };
}
