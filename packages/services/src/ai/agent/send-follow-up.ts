// The agent's follow-up email, sent the way a sequence step is: through the tenant's mailbox,
// after the consent checks, claimed in outreach_messages by its dedupe key before the send, with
// the reply-to and tracking links, the mailbox's daily cap, and the `sent` event and
// `email.sent` domain event. The statements that record the send are handed back so the caller
// writes them in the deal's batch with its decision.
import { generateContent, type ContentTemplate } from "@crm/ai";
import { type contacts, mailboxDailySends, mailboxes, newId, outreachEvents, outreachMessages } from "@crm/db";
import { capDay } from "@crm/outreach";
import type { BatchItem } from "drizzle-orm/batch";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { TenantContext } from "../../context";
import type { DealRow } from "../../deals/serialize";
import { domainEventQueries } from "../../events/record";
import { consentBlock } from "../../outreach/consent";
import { newReplyToken, outreachLinks } from "../../outreach/links";
import { defaultMailbox } from "../../outreach/mailboxes";
import { addressFor, templateDataFor } from "../../outreach/render";
import type { SendDeps } from "../../outreach/send";
import { mailTransportFor } from "../../outreach/transport-factory";

type ContactRow = typeof contacts.$inferSelect;

/** The built-in follow-up, filled with the contact's, the deal's and the sender's facts. */
export function followUpTemplate(followUpNumber: number): ContentTemplate {
  return {
    id: `agent-follow-up-${followUpNumber}`,
    name: `Pipeline agent follow-up ${followUpNumber}`,
    subject: followUpNumber === 1 ? "Following up on {{deal.name}}" : "Checking in on {{deal.name}}",
    body:
      followUpNumber === 1
        ? "Hello {{contact.firstName|there}},\n\nI wanted to follow up on {{deal.name}}. Is this still a priority for you? I am happy to answer any questions.\n\nBest regards,\n{{sender.name}}"
        : "Hello {{contact.firstName|there}},\n\nI am checking in once more on {{deal.name}}. If the timing is not right, just let me know and I will follow up later.\n\nBest regards,\n{{sender.name}}",
  };
}

export type FollowUpSend =
  | { outcome: "sent"; messageId: string; to: string; subject: string; queries: BatchItem<"sqlite">[] }
  | { outcome: "skipped"; reason: string }
  | { outcome: "failed"; messageId: string; error: string };

/** The mailbox the agent writes from: the default one, else the oldest live one; null when there is none. */
async function agentMailbox(ctx: TenantContext) {
  const chosen = await defaultMailbox(ctx);
  if (chosen) return chosen;
  const [first] = await ctx.db.findMany(mailboxes, {
    where: isNull(mailboxes.deletedAt),
    orderBy: asc(mailboxes.id),
    limit: 1,
  });
  return first ?? null;
}

export async function sendAgentFollowUp(
  ctx: TenantContext,
  deps: SendDeps,
  args: { decisionId: string; deal: DealRow; contact: ContactRow | null; followUpNumber: number; now: Date },
): Promise<FollowUpSend> {
  const { contact, deal, now } = args;
  if (!contact) return { outcome: "skipped", reason: "The deal has no contact to write to." };
  const mailbox = await agentMailbox(ctx);
  if (!mailbox)
    return {
      outcome: "skipped",
      reason: "The organization has no mailbox to send from; add one under Settings, Mailboxes.",
    };
  const address = addressFor(contact, "email");
  if (!address) return { outcome: "skipped", reason: "The contact has no email address." };
  const block = await consentBlock(ctx, contact, address);
  if (block) return { outcome: "skipped", reason: `The contact may not be emailed (${block.reason}).` };

  const data = await templateDataFor(ctx, contact, mailbox);
  const content = generateContent({
    channel: "email",
    tone: "professional",
    template: followUpTemplate(args.followUpNumber),
    // The deal decided on, not the contact's newest one.
    context: { ...data, deal: { name: deal.name, value: deal.value, currency: deal.currency } },
  }).result;
  const subject = content.subject ?? `Following up on ${deal.name}`;

  const messageId = newId("outreachMessage");
  const replyToken = newReplyToken();
  const dedupeKey = `agent:${args.decisionId}`;
  const [claimed] = await ctx.db
    .insertQuery(outreachMessages, {
      id: messageId,
      dedupeKey,
      channel: "email",
      contactId: contact.id,
      mailboxId: mailbox.id,
      status: "queued",
      fromAddress: mailbox.fromAddress,
      toAddress: address,
      subject,
      text: content.body,
      replyToken,
      scheduledFor: now,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: outreachMessages.id });
  if (!claimed) return { outcome: "skipped", reason: "This decision's email was already sent." };

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
    return { outcome: "skipped", reason: `Mailbox ${mailbox.name} reached its daily cap of ${mailbox.dailyCap}.` };
  }

  const links = outreachLinks(deps, { id: messageId, tenantId: ctx.tenant.id, replyToken });
  const body = links.body(content.body);
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
      dedupeKey: `outreach:${ctx.tenant.id}:${dedupeKey}`,
      from: { address: mailbox.fromAddress, name: mailbox.fromName ?? undefined },
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
    return { outcome: "failed", messageId, error: message };
  }

  return {
    outcome: "sent",
    messageId,
    to: address,
    subject,
    queries: [
      ctx.db.updateQuery(
        outreachMessages,
        {
          status: "sent",
          sentAt: now,
          providerMessageId,
          transport: transport.name,
          messageIdHeader: links.messageIdHeader,
          text: body.text,
          html: body.html,
          updatedAt: now,
        },
        and(eq(outreachMessages.id, messageId))!,
      ),
      ctx.db.insertQuery(outreachEvents, {
        id: newId("outreachEvent"),
        messageId,
        type: "sent",
        contactId: contact.id,
        occurredAt: now,
      }),
      ...domainEventQueries(ctx, [
        {
          type: "email.sent",
          entity: "contact",
          entityId: contact.id,
          data: {
            messageId,
            contactId: contact.id,
            dealId: deal.id,
            sequenceId: null,
            stepId: null,
            to: address,
            subject,
            sentAt: now.toISOString(),
          },
          previous: null,
        },
      ]),
    ],
  };
}
