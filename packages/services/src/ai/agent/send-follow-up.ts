// The agent's follow-up email: composed from the built-in follow-up template, then sent as a
// one-off email (outreach/one-off.ts: consent, the dedupe claim, the daily cap, reply-to and
// tracking, the `email.sent` event and the deal's email activity). The statements that record
// the send are handed back so the caller writes them in the deal's batch with its decision.
import { generateContent, type ContentTemplate } from "@crm/ai";
import { type contacts, mailboxes } from "@crm/db";
import type { BatchItem } from "drizzle-orm/batch";
import { asc, isNull } from "drizzle-orm";
import type { TenantContext } from "../../context";
import type { DealRow } from "../../deals/serialize";
import { defaultMailbox } from "../../outreach/mailboxes";
import { oneOffRecipient, sendOneOffEmail } from "../../outreach/one-off";
import { templateDataFor } from "../../outreach/render";
import type { SendDeps } from "../../outreach/send";

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
  // Checked before the content is composed: a contact who may not be emailed costs no render.
  const recipient = await oneOffRecipient(ctx, contact);
  if (!("address" in recipient))
    return {
      outcome: "skipped",
      reason:
        recipient.code === "no_email_address"
          ? "The contact has no email address."
          : `The contact may not be emailed (${recipient.code}).`,
    };

  const data = await templateDataFor(ctx, contact, mailbox);
  const content = generateContent({
    channel: "email",
    tone: "professional",
    template: followUpTemplate(args.followUpNumber),
    // The deal decided on, not the contact's newest one.
    context: { ...data, deal: { name: deal.name, value: deal.value, currency: deal.currency } },
  }).result;
  const subject = content.subject ?? `Following up on ${deal.name}`;

  const sent = await sendOneOffEmail(ctx, deps, {
    contact,
    mailbox,
    subject,
    text: content.body,
    dealId: deal.id,
    dedupeKey: `agent:${args.decisionId}`,
    now,
  });
  switch (sent.outcome) {
    case "sent":
      return { outcome: "sent", messageId: sent.messageId, to: sent.to, subject, queries: sent.queries };
    case "failed":
      return { outcome: "failed", messageId: sent.messageId, error: sent.error };
    case "refused":
      return {
        outcome: "skipped",
        reason:
          sent.code === "duplicate"
            ? "This decision's email was already sent."
            : sent.code === "daily_cap" || sent.code === "no_email_address"
              ? sent.reason
              : `The contact may not be emailed (${sent.code}).`,
      };
  }
}
