import { contacts, newId, outreachMessages, sequenceSteps, sequences } from "@crm/db";
import { ApiError } from "@crm/errors";
import { renderTemplate } from "@crm/outreach";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { TenantContext } from "../context";
import type { MailTransport } from "../mail/transport";
import type { MailboxRow } from "../outreach/mailbox-credentials";
import { sendingMailboxFor } from "../outreach/mailboxes";
import { templateDataFor } from "../outreach/render";
import { findCampaign } from "./campaigns";

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
  const mailbox = await sendingMailboxFor(ctx, sequence.mailboxId);
  const contact = await ctx.db.findFirst(contacts, eq(contacts.id, input.contactId));
  if (!contact) {
    throw new ApiError("VALIDATION_FAILED", "The contact was not found", {
      errors: [{ path: "body.contactId", message: "No contact has this id" }],
    });
  }
  const data = await templateDataFor(ctx, contact, mailbox);
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
