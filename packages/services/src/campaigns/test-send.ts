import {
  companies,
  contacts,
  type Database,
  deals,
  mailboxes,
  newId,
  outreachMessages,
  sequenceSteps,
  sequences,
} from "@crm/db";
import { ApiError } from "@crm/errors";
import { renderTemplate, type TemplateData } from "@crm/outreach";
import { and, asc, desc, eq, isNull } from "drizzle-orm";
import type { TenantContext } from "../context";
import { DevOutboxTransport, type MailTransport } from "../mail/transport";
import { findCampaign } from "./campaigns";

export type MailboxRow = typeof mailboxes.$inferSelect;

/**
 * The transport a campaign test send goes through for its mailbox. The outreach transport
 * factory (mailTransportFor: SMTP, Postmark, the dev outbox) takes this over at merge; until
 * then every test send lands in the dev outbox.
 */
export function campaignMailTransport(
  deps: { secretsKey: string; db: Database },
  _mailbox: MailboxRow | null,
): MailTransport {
  return new DevOutboxTransport(deps.db);
}

/** The sequence's mailbox, else the tenant's default one; null: the dev outbox. */
async function sendingMailbox(ctx: TenantContext, mailboxId: string | null): Promise<MailboxRow | null> {
  const live = isNull(mailboxes.deletedAt);
  if (mailboxId) {
    const own = await ctx.db.findFirst(mailboxes, and(eq(mailboxes.id, mailboxId), live)!);
    if (own) return own;
  }
  return (await ctx.db.findFirst(mailboxes, and(eq(mailboxes.isDefault, true), live)!)) ?? null;
}

/** What the templates' tokens read for this contact: itself, its company, its latest open deal, the sender. */
async function templateDataFor(
  ctx: TenantContext,
  contactId: string,
  mailbox: MailboxRow | null,
): Promise<TemplateData> {
  const contact = await ctx.db.findFirst(contacts, eq(contacts.id, contactId));
  if (!contact) {
    throw new ApiError("VALIDATION_FAILED", "The contact was not found", {
      errors: [{ path: "body.contactId", message: "No contact has this id" }],
    });
  }
  const [company, [deal]] = await Promise.all([
    contact.companyId ? ctx.db.findFirst(companies, eq(companies.id, contact.companyId)) : undefined,
    ctx.db.findMany(deals, {
      where: and(eq(deals.contactId, contactId), eq(deals.status, "active")),
      orderBy: desc(deals.createdAt),
      limit: 1,
    }),
  ]);
  return {
    contact: {
      firstName: contact.firstName,
      lastName: contact.lastName,
      fullName: [contact.firstName, contact.lastName].filter(Boolean).join(" "),
      email: contact.primaryEmail,
      title: contact.title,
      phone: contact.phones[0]?.number ?? null,
      timeZone: contact.timeZone,
      customFields: contact.customFields,
    },
    company: company
      ? { name: company.name, domain: company.domain, industry: company.industry, website: company.website }
      : null,
    deal: deal ? { name: deal.name, value: deal.value, currency: deal.currency } : null,
    sender: mailbox ? { name: mailbox.fromName, email: mailbox.fromAddress } : null,
  };
}

export interface TestSendInput {
  contactId: string;
  to: string;
  /** Default: the step's first variant. */
  variantKey?: string | undefined;
}

/**
 * Renders the campaign's first step for a contact and sends it to `to` (marked "[Test]"),
 * through the mailbox the campaign would send from. Recorded as an outreach message without
 * an enrollment or contact, so analytics and the contact's timeline leave it out.
 */
export async function testSendCampaign(
  ctx: TenantContext,
  id: string,
  input: TestSendInput,
  transportFor: (mailbox: MailboxRow | null) => MailTransport,
) {
  const campaign = await findCampaign(ctx, id);
  const sequence = await ctx.db.findFirst(
    sequences,
    and(eq(sequences.id, campaign.sequenceId), isNull(sequences.deletedAt))!,
  );
  if (!sequence) throw new ApiError("CONFLICT", `Campaign ${id}'s sequence no longer exists`);
  const [step] = await ctx.db.findMany(sequenceSteps, {
    where: and(eq(sequenceSteps.sequenceId, sequence.id), isNull(sequenceSteps.deletedAt)),
    orderBy: asc(sequenceSteps.position),
    limit: 1,
  });
  if (!step) throw new ApiError("CONFLICT", `Sequence ${sequence.id} has no steps to send`);
  if (step.channel !== "email") {
    throw new ApiError("CONFLICT", `Step 1 is a ${step.channel} step: test sends are email only`);
  }
  const variant = input.variantKey ? step.variants.find((v) => v.key === input.variantKey) : step.variants[0];
  if (!variant) {
    throw new ApiError("VALIDATION_FAILED", "Step 1 has no such variant", {
      errors: [
        { path: "body.variantKey", message: `Step 1's variants: ${step.variants.map((v) => v.key).join(", ")}` },
      ],
    });
  }
  const mailbox = await sendingMailbox(ctx, sequence.mailboxId);
  const data = await templateDataFor(ctx, input.contactId, mailbox);
  const subject = `[Test] ${renderTemplate(variant.subject ?? "", data)}`;
  const text = renderTemplate(variant.body, data);
  const messageId = newId("outreachMessage");
  const transport = transportFor(mailbox);
  const sent = await transport.send({
    tenantId: ctx.tenant.id,
    kind: "campaign_test",
    to: input.to,
    subject,
    text,
    dedupeKey: `test:${messageId}`,
  });
  const now = new Date();
  await ctx.db.insert(outreachMessages, {
    id: messageId,
    dedupeKey: `test:${messageId}`,
    channel: "email",
    contactId: null,
    enrollmentId: null,
    sequenceId: sequence.id,
    stepId: step.id,
    variantKey: variant.key,
    campaignId: id,
    mailboxId: mailbox?.id ?? null,
    status: "sent",
    fromAddress: mailbox?.fromAddress ?? null,
    toAddress: input.to,
    subject,
    text,
    providerMessageId: sent.messageId,
    transport: transport.name,
    sentAt: now,
    createdAt: now,
    updatedAt: now,
  });
  return {
    messageId,
    to: input.to,
    from: mailbox?.fromAddress ?? null,
    subject,
    text,
    stepId: step.id,
    variantKey: variant.key,
    transport: transport.name,
    sentAt: now.toISOString(),
  };
}
