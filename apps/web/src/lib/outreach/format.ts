import type { DelayUnit, EnrollmentStatus, OutreachMessageStatus, SendWindow, StepChannel } from "./types";

/** Words for the outreach API's codes, shared by the sequence, enrollment and outbox pages. */

export const channelLabels: Record<StepChannel, string> = {
  email: "Email",
  sms: "SMS",
  whatsapp: "WhatsApp",
  call: "Phone call",
};

export const delayUnitLabels: Record<DelayUnit, string> = {
  hours: "hours",
  days: "days",
  business_days: "business days",
};

/** "Right after enrolling", "2 business days after step 1". */
export function delaySentence(position: number, amount: number, unit: DelayUnit): string {
  const after = position === 1 ? "enrolling" : `step ${position - 1}`;
  if (amount === 0) return `Right after ${after}`;
  const units = amount === 1 ? delayUnitLabels[unit].replace(/s$/, "") : delayUnitLabels[unit];
  return `${amount} ${units} after ${after}`;
}

export const weekdayLabels = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

/** "Mon–Fri 09:00–17:00", "Mon, Wed 10:00–12:00". */
export function windowSentence(window: SendWindow): string {
  const days = [...window.days].sort((a, b) => a - b);
  const consecutive = days.length > 2 && days.every((day, i) => i === 0 || day === (days[i - 1] ?? 0) + 1);
  const dayText = consecutive
    ? `${weekdayLabels[(days[0] ?? 1) - 1]}–${weekdayLabels[(days.at(-1) ?? 1) - 1]}`
    : days.map((day) => weekdayLabels[day - 1]).join(", ");
  return `${dayText || "No days"} ${window.start}–${window.end}`;
}

export const enrollmentStatusTones: Record<EnrollmentStatus, "neutral" | "accent" | "success" | "danger" | "warning"> =
  {
    active: "accent",
    paused: "warning",
    completed: "success",
    exited: "neutral",
    unenrolled: "neutral",
  };

export const messageStatusTones: Record<
  OutreachMessageStatus,
  "neutral" | "accent" | "success" | "danger" | "warning"
> = {
  queued: "accent",
  sent: "success",
  failed: "danger",
  skipped: "warning",
};

/** Skip and exit reasons as sentences ("do_not_contact" → "Do not contact"). */
const reasonLabels: Record<string, string> = {
  do_not_contact: "Do not contact",
  opted_out: "Opted out",
  suppressed_unsubscribed: "Suppressed: unsubscribed",
  suppressed_bounced: "Suppressed: bounced",
  suppressed_complained: "Suppressed: marked as spam",
  suppressed_manual: "Suppressed by hand",
  no_email_address: "No email address",
  no_phone_number: "No phone number",
  channel_not_configured: "Channel not configured",
  replied: "Replied",
  bounced: "Bounced",
  unsubscribed: "Unsubscribed",
  deal_won: "Deal won",
  meeting_booked: "Meeting booked",
  sequence_archived: "Sequence archived",
  already_enrolled: "Already enrolled",
  contact_not_found: "Contact not found",
  sequence_has_no_steps: "The sequence has no steps",
};

export function reasonLabel(reason: string | null | undefined): string {
  if (!reason) return "";
  return reasonLabels[reason] ?? reason.replaceAll("_", " ").replace(/^./, (c) => c.toUpperCase());
}

export function contactName(contact: { firstName?: string | null; lastName?: string | null; email?: string | null }) {
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(" ").trim();
  return name || contact.email || "Unnamed contact";
}
