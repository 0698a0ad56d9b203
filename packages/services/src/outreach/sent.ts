// What records one outreach message as sent, built in one place for every path that sends
// (a sequence step alone or in a batch, a one-off email): the message row's sent fields, its
// `sent` outreach event and, for an email, the `email.sent` domain event.
import { domainEvents, newId, outreachEvents, outreachMessages } from "@crm/db";
import type { BatchItem } from "drizzle-orm/batch";
import { eq, sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import { type DomainEvent, domainEventQueries } from "../events/record";

/** A message just sent: who to, and what it belongs to. */
export interface SentMessage {
  messageId: string;
  contactId: string;
  /** "email" also gets the `email.sent` domain event. */
  channel: string;
  to: string;
  subject: string | null;
  sentAt: Date;
  /** The sequence step it was (null: a one-off email). */
  step: {
    sequenceId: string;
    stepId: string;
    variantKey: string | null;
    enrollmentId: string;
    campaignId: string | null;
  } | null;
  /** A one-off email's deal. */
  dealId?: string | null | undefined;
}

/** The message row's sent fields: how it went out, and the body as sent (links tracked). */
export interface SentDelivery {
  providerMessageId: string;
  transport: string;
  messageIdHeader: string | null;
  /** The text and HTML as sent; null keeps the row's (a non-email message). */
  body: { text: string; html: string } | null;
}

/** The message's `sent` outreach event row. */
export function sentEventRow(sent: SentMessage) {
  return {
    id: newId("outreachEvent"),
    messageId: sent.messageId,
    type: "sent" as const,
    contactId: sent.contactId,
    campaignId: sent.step?.campaignId ?? null,
    sequenceId: sent.step?.sequenceId ?? null,
    occurredAt: sent.sentAt,
  };
}

/** The `email.sent` domain event (webhooks, workflows): one per email. */
export function emailSentEvent(sent: SentMessage): DomainEvent {
  const { step } = sent;
  const data = step
    ? {
        messageId: sent.messageId,
        contactId: sent.contactId,
        sequenceId: step.sequenceId,
        stepId: step.stepId,
        variantKey: step.variantKey,
        enrollmentId: step.enrollmentId,
        campaignId: step.campaignId,
        to: sent.to,
        subject: sent.subject,
        sentAt: sent.sentAt.toISOString(),
      }
    : {
        messageId: sent.messageId,
        contactId: sent.contactId,
        dealId: sent.dealId ?? null,
        sequenceId: null,
        stepId: null,
        to: sent.to,
        subject: sent.subject,
        sentAt: sent.sentAt.toISOString(),
      };
  return { type: "email.sent", entity: "contact", entityId: sent.contactId, data, previous: null };
}

/**
 * A claimed (queued) message marked sent: its row updated, its `sent` event and, for an email,
 * its `email.sent` domain event. The caller writes them in one batch with its own statements.
 */
export function markSentQueries(ctx: TenantContext, sent: SentMessage, delivery: SentDelivery): BatchItem<"sqlite">[] {
  return [
    ctx.db.updateQuery(
      outreachMessages,
      {
        status: "sent",
        sentAt: sent.sentAt,
        providerMessageId: delivery.providerMessageId,
        transport: delivery.transport,
        messageIdHeader: delivery.messageIdHeader,
        ...(delivery.body ? { text: delivery.body.text, html: delivery.body.html } : {}),
        updatedAt: sent.sentAt,
      },
      eq(outreachMessages.id, sent.messageId),
    ),
    ctx.db.insertQuery(outreachEvents, sentEventRow(sent)),
    ...(sent.channel === "email" ? domainEventQueries(ctx, [emailSentEvent(sent)]) : []),
  ];
}

/**
 * The `sent` outreach events and `email.sent` domain events of the sequence emails a send
 * batch has just inserted as sent (all at `sentAt`), made in SQL from their outreach_messages
 * rows: the batch sends D1 an id pair per event, not the events' cells. The rows are
 * sentEventRow's and emailSentEvent's (`data` has its keys in its order; the batch's request id
 * per enrollment). A message id the batch did not insert (its step was claimed before) has no
 * row, so gets no events.
 */
export function sentStepEventCopyQueries(
  ctx: TenantContext,
  messageIds: string[],
  sentAt: Date,
): BatchItem<"sqlite">[] {
  if (messageIds.length === 0) return [];
  const m = outreachMessages;
  const createdAt = sql`${Date.now()}`;
  ctx.onEventsRecorded?.();
  return [
    ...ctx.db.copyRowsWithQueries(
      outreachEvents,
      outreachMessages,
      messageIds.map((id) => [id, newId("outreachEvent")]),
      (entry) => ({
        id: entry(1),
        messageId: m.id,
        type: sql`'sent'`,
        contactId: m.contactId,
        campaignId: m.campaignId,
        sequenceId: m.sequenceId,
        occurredAt: m.sentAt,
        createdAt,
      }),
    ),
    ...ctx.db.copyRowsWithQueries(
      domainEvents,
      outreachMessages,
      messageIds.map((id) => [id, newId("domainEvent")]),
      (entry) => ({
        id: entry(1),
        type: sql`'email.sent'`,
        entity: sql`'contact'`,
        entityId: m.contactId,
        data: sql`json_object('messageId', ${m.id}, 'contactId', ${m.contactId}, 'sequenceId', ${m.sequenceId}, 'stepId', ${m.stepId}, 'variantKey', ${m.variantKey}, 'enrollmentId', ${m.enrollmentId}, 'campaignId', ${m.campaignId}, 'to', ${m.toAddress}, 'subject', ${m.subject}, 'sentAt', ${sentAt.toISOString()})`,
        actorType: sql`${ctx.actor.type}`,
        actorId: sql`${ctx.actor.id}`,
        requestId: sql`'outreach:' || ${m.enrollmentId}`,
        createdAt,
        depth: sql`${ctx.eventDepth ?? 0}`,
      }),
    ),
  ];
}
