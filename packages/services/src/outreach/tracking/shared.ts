import { contacts, newId, outreachEvents, outreachMessages, suppressions } from "@crm/db";
import type { OutreachEventType } from "@crm/db";
import type { BatchItem } from "drizzle-orm/batch";
import { eq } from "drizzle-orm";
import type { Actor } from "../../access";
import type { TenantContext } from "../../context";
import { contactSaveQueries } from "../../contacts/write";
import { publicContact, type ContactRow } from "../../contacts/public";
import { type DomainEvent, domainEventQueries } from "../../events/record";
import type { DomainEventType } from "../../events/types";

export type OutreachMessageRow = typeof outreachMessages.$inferSelect;
export type OutreachEventRow = typeof outreachEvents.$inferSelect;

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** An outreach message as the API shows it (the outbox, webhooks' `data`). */
export function publicOutreachMessage(row: OutreachMessageRow) {
  return {
    id: row.id,
    channel: row.channel,
    status: row.status,
    skipReason: row.skipReason,
    error: row.error,
    contactId: row.contactId,
    enrollmentId: row.enrollmentId,
    sequenceId: row.sequenceId,
    stepId: row.stepId,
    variantKey: row.variantKey,
    campaignId: row.campaignId,
    mailboxId: row.mailboxId,
    fromAddress: row.fromAddress,
    toAddress: row.toAddress,
    subject: row.subject,
    text: row.text,
    html: row.html,
    messageIdHeader: row.messageIdHeader,
    providerMessageId: row.providerMessageId,
    transport: row.transport,
    scheduledFor: iso(row.scheduledFor),
    sentAt: iso(row.sentAt),
    deliveredAt: iso(row.deliveredAt),
    firstOpenedAt: iso(row.firstOpenedAt),
    firstClickedAt: iso(row.firstClickedAt),
    repliedAt: iso(row.repliedAt),
    bouncedAt: iso(row.bouncedAt),
    unsubscribedAt: iso(row.unsubscribedAt),
    openCount: row.openCount,
    clickCount: row.clickCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicOutreachMessage = ReturnType<typeof publicOutreachMessage>;

export function publicOutreachEvent(row: OutreachEventRow) {
  return { id: row.id, type: row.type, detail: row.detail, occurredAt: row.occurredAt.toISOString() };
}

/** A context for work no signed-in person started (a pixel load, an inbound email). */
export function systemContext(
  db: TenantContext["db"],
  actorId: string,
  requestId: string,
  onEventsRecorded?: () => void,
): TenantContext {
  const actor: Actor = { type: "system", id: actorId };
  return {
    tenant: { id: db.tenantId },
    actor,
    db,
    requestId,
    ...(onEventsRecorded ? { onEventsRecorded } : {}),
  };
}

export async function findMessageById(ctx: TenantContext, id: string): Promise<OutreachMessageRow | undefined> {
  return ctx.db.findFirst(outreachMessages, eq(outreachMessages.id, id));
}

/** The tracking event row of a message (analytics and the time series read these). */
export function outreachEventQuery(
  ctx: TenantContext,
  message: OutreachMessageRow,
  type: OutreachEventType,
  at: Date,
  detail: string | null = null,
) {
  return ctx.db.insertQuery(outreachEvents, {
    id: newId("outreachEvent"),
    messageId: message.id,
    type,
    contactId: message.contactId,
    campaignId: message.campaignId,
    sequenceId: message.sequenceId,
    detail,
    occurredAt: at,
    createdAt: at,
  });
}

/** An `email.*` domain event about a message, for webhooks and workflows. */
export function messageDomainEventQueries(
  ctx: TenantContext,
  type: Extract<DomainEventType, `email.${string}`>,
  message: OutreachMessageRow,
  extra: Record<string, unknown> = {},
): BatchItem<"sqlite">[] {
  const { text: _text, html: _html, ...summary } = publicOutreachMessage(message);
  const event: DomainEvent = {
    type,
    entity: "outreach_message",
    entityId: message.id,
    data: { ...summary, ...extra },
    previous: null,
  };
  return domainEventQueries(ctx, [event]);
}

export type SuppressionReason = "unsubscribed" | "bounced" | "complained" | "manual";

/** Adds an address to the suppression list; an address already there keeps its first reason. */
export function suppressQuery(
  ctx: TenantContext,
  address: string,
  reason: SuppressionReason,
  source: string,
  at: Date,
) {
  return ctx.db
    .insertQuery(suppressions, {
      id: newId("suppression"),
      address: normaliseAddress(address),
      reason,
      source,
      createdAt: at,
    })
    .onConflictDoNothing();
}

/** Email addresses are compared lower-cased; phone numbers as given (E.164). */
export function normaliseAddress(address: string): string {
  return address.trim().toLowerCase();
}

/** The contact marked opted out (consent source says where from), with its audit entry and contact.updated event. */
export function optOutContactQueries(ctx: TenantContext, contact: ContactRow, source: string, at: Date) {
  if (contact.consentStatus === "opted_out") return [];
  const after: ContactRow = {
    ...contact,
    consentStatus: "opted_out",
    consentChangedAt: at,
    consentSource: source,
    updatedAt: at,
  };
  return contactSaveQueries(ctx, contact, after, { lifecycle: null, companyName: null, reindex: false });
}

export async function findContact(ctx: TenantContext, id: string | null): Promise<ContactRow | undefined> {
  if (!id) return undefined;
  return ctx.db.findFirst(contacts, eq(contacts.id, id));
}

/** `contact.unsubscribed`: for webhooks and workflows. */
export function contactUnsubscribedQueries(
  ctx: TenantContext,
  contact: ContactRow,
  detail: { messageId: string | null; source: string },
) {
  return domainEventQueries(ctx, [
    {
      type: "contact.unsubscribed",
      entity: "contact",
      entityId: contact.id,
      data: { ...publicContact({ ...contact, consentStatus: "opted_out" }), ...detail },
      previous: null,
    },
  ]);
}
