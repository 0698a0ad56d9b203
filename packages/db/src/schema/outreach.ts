import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, json, tenantIdColumn, timestamp, updatedAt } from "./columns";

// Outreach: sending mailboxes, sequences and their steps, enrollments, every message sent (or
// skipped) with its tracking events, inbound replies, the suppression list and campaigns.

export const mailboxTransports = ["dev_outbox", "smtp", "postmark"] as const;
export type MailboxTransport = (typeof mailboxTransports)[number];

/** Non-secret transport settings; secrets live sealed in `mailboxes.sealed_credentials`. */
export interface MailboxSettings {
  /** smtp */
  host?: string;
  port?: number;
  /** "tls": TLS from the first byte (465); "starttls": upgrade after EHLO (587). */
  security?: "tls" | "starttls" | "none";
  username?: string;
  /** postmark: the API's base URL (the provider's by default; a local server in tests). */
  apiBaseUrl?: string;
  /** postmark: the message stream. */
  messageStream?: string;
}

/**
 * A tenant's sending identity. Credentials (SMTP password, provider token) are sealed with
 * AES-GCM under the Worker secret SECRETS_KEY and never returned by the API.
 */
export const mailboxes = sqliteTable(
  "mailboxes",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    name: text("name").notNull(),
    fromAddress: text("from_address").notNull(),
    fromName: text("from_name"),
    transport: text("transport", { enum: mailboxTransports }).notNull(),
    settings: json<MailboxSettings>("settings")
      .notNull()
      .$defaultFn(() => ({})),
    sealedCredentials: text("sealed_credentials"),
    /** Most messages this mailbox sends per UTC day. */
    dailyCap: integer("daily_cap").notNull().default(200),
    /** Minimum seconds between two sends from this mailbox (spreads sends out). */
    minSpacingSeconds: integer("min_spacing_seconds").notNull().default(60),
    isDefault: integer("is_default", { mode: "boolean" }).notNull().default(false),
    /** The last send's time: the next one waits `min_spacing_seconds` after it. */
    lastSentAt: timestamp("last_sent_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp("deleted_at"),
  },
  (t) => [index("mailboxes_tenant_idx").on(t.tenantId, t.id)],
);

/** Sends per mailbox per UTC day: the cap is enforced with one conditional increment. */
export const mailboxDailySends = sqliteTable(
  "mailbox_daily_sends",
  {
    tenantId: tenantIdColumn(),
    mailboxId: text("mailbox_id").notNull(),
    /** YYYY-MM-DD (UTC). */
    day: text("day").notNull(),
    sent: integer("sent").notNull().default(0),
  },
  (t) => [uniqueIndex("mailbox_daily_sends_idx").on(t.tenantId, t.mailboxId, t.day)],
);

export const sequenceStatuses = ["active", "paused", "archived"] as const;
export const stepChannels = ["email", "sms", "whatsapp", "call"] as const;
export type StepChannel = (typeof stepChannels)[number];
export const delayUnits = ["hours", "days", "business_days"] as const;

/** When a sequence may send, in the recipient's time zone. Days: 1 = Monday … 7 = Sunday. */
export interface SendWindow {
  days: number[];
  /** "HH:MM", 24-hour. */
  start: string;
  end: string;
}

/** What ends an enrollment early (all on by default). */
export interface SequenceExitRules {
  onReply: boolean;
  onBounce: boolean;
  onUnsubscribe: boolean;
  onDealWon: boolean;
  onMeetingBooked: boolean;
}

export const sequences = sqliteTable(
  "sequences",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    name: text("name").notNull(),
    description: text("description"),
    status: text("status", { enum: sequenceStatuses }).notNull().default("active"),
    /** Null: the tenant's default mailbox (the dev outbox when it has none). */
    mailboxId: text("mailbox_id"),
    sendWindow: json<SendWindow>("send_window").notNull(),
    /** For contacts without a time zone. IANA name. */
    defaultTimeZone: text("default_time_zone").notNull().default("UTC"),
    exitRules: json<SequenceExitRules>("exit_rules").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp("deleted_at"),
  },
  (t) => [index("sequences_tenant_created_idx").on(t.tenantId, t.id)],
);

/** One A/B variant of a step. `weight` is its share of sends (the step's weights sum to 100). */
export interface StepVariant {
  /** "A", "B", …: stable, stored on every message so stats stay per variant. */
  key: string;
  weight: number;
  /** email only. */
  subject?: string;
  /** Template with tokens such as {{contact.firstName|there}}. Calls: what the voice says. */
  body: string;
}

export const sequenceSteps = sqliteTable(
  "sequence_steps",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    sequenceId: text("sequence_id").notNull(),
    /** 1-based order in the sequence. */
    position: integer("position").notNull(),
    channel: text("channel", { enum: stepChannels }).notNull().default("email"),
    /** Wait after enrollment (step 1) or after the previous step's send. */
    delayAmount: integer("delay_amount").notNull().default(0),
    delayUnit: text("delay_unit", { enum: delayUnits }).notNull().default("days"),
    variants: json<StepVariant[]>("variants").notNull(),
    /** Filled by the AI module; until then the template is sent as written. */
    aiPersonalise: integer("ai_personalise", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** Removed from the sequence; kept so sent messages and stats still name it. */
    deletedAt: timestamp("deleted_at"),
  },
  (t) => [index("sequence_steps_sequence_idx").on(t.tenantId, t.sequenceId, t.position)],
);

export const enrollmentStatuses = ["active", "paused", "completed", "exited", "unenrolled"] as const;
export type EnrollmentStatus = (typeof enrollmentStatuses)[number];
export const enrollmentExitReasons = [
  "replied",
  "bounced",
  "unsubscribed",
  "deal_won",
  "meeting_booked",
  "do_not_contact",
  "sequence_archived",
] as const;
export const enrollmentSources = ["manual", "filter", "workflow", "campaign", "referral"] as const;

/**
 * Why an inbound reply paused or ended an enrollment: the reply, the class that decided (the
 * AI engine's when it read the reply, else the rules') and the suggested action taken.
 */
export interface EnrollmentStatusReason {
  inboundEmailId: string;
  /** Which reading decided: the AI engine's class, or the rule class when there was none. */
  decidedBy: "ai" | "rules";
  classification: string;
  /** The rule class, kept for reference when the AI class overrode it. */
  ruleClassification: string;
  action: string;
  description: string;
}

/**
 * A contact going through a sequence. At most one active or paused enrollment per contact and
 * sequence. `next_step_id` + `due_at` say what is sent next and from when; the send itself is
 * placed inside the send window and under the mailbox's cap when the scheduler picks it up.
 */
export const sequenceEnrollments = sqliteTable(
  "sequence_enrollments",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    sequenceId: text("sequence_id").notNull(),
    contactId: text("contact_id").notNull(),
    campaignId: text("campaign_id"),
    status: text("status", { enum: enrollmentStatuses }).notNull().default("active"),
    exitReason: text("exit_reason", { enum: enrollmentExitReasons }),
    source: text("source", { enum: enrollmentSources }).notNull(),
    /** Who enrolled: a user id, or the workflow id for workflow enrollments. */
    enrolledBy: text("enrolled_by").notNull(),
    /** The sender for every step (replies thread with one address). */
    mailboxId: text("mailbox_id"),
    nextStepId: text("next_step_id"),
    /** When the next step becomes due (before send-window placement). */
    dueAt: timestamp("due_at"),
    /** Steps sent or skipped so far. */
    stepsCompleted: integer("steps_completed").notNull().default(0),
    lastSentAt: timestamp("last_sent_at"),
    pausedAt: timestamp("paused_at"),
    /** A pause that ends by itself (an out-of-office reply's return date): the scheduler resumes it then. */
    pausedUntil: timestamp("paused_until"),
    /** The reply (class and action) behind the last pause or exit; null for a person's own. */
    statusReason: json<EnrollmentStatusReason>("status_reason"),
    endedAt: timestamp("ended_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("sequence_enrollments_one_live_idx")
      .on(t.tenantId, t.sequenceId, t.contactId)
      .where(sql`status in ('active', 'paused')`),
    index("sequence_enrollments_sequence_idx").on(t.tenantId, t.sequenceId, t.id),
    index("sequence_enrollments_contact_idx").on(t.tenantId, t.contactId),
    index("sequence_enrollments_campaign_idx").on(t.tenantId, t.campaignId),
    // The scheduler's question: what is due now.
    index("sequence_enrollments_due_idx")
      .on(t.tenantId, t.dueAt)
      .where(sql`status = 'active'`),
    // The minute tick's other question: which timed pauses are over.
    index("sequence_enrollments_paused_until_idx")
      .on(t.tenantId, t.pausedUntil)
      .where(sql`status = 'paused' and paused_until is not null`),
  ],
);

export const outreachMessageStatuses = ["queued", "sent", "failed", "skipped"] as const;
export type OutreachMessageStatus = (typeof outreachMessageStatuses)[number];

/**
 * One message of one enrollment step (or a campaign test send): what was rendered, where it
 * went, and what happened to it. `dedupe_key` (`<enrollmentId>:<stepId>`) is unique, so a step
 * is sent at most once however often its queue message is delivered. Skips (consent,
 * suppression, do-not-contact) are rows too, with their reason.
 */
export const outreachMessages = sqliteTable(
  "outreach_messages",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    dedupeKey: text("dedupe_key").notNull(),
    channel: text("channel", { enum: stepChannels }).notNull(),
    contactId: text("contact_id"),
    enrollmentId: text("enrollment_id"),
    sequenceId: text("sequence_id"),
    stepId: text("step_id"),
    variantKey: text("variant_key"),
    campaignId: text("campaign_id"),
    mailboxId: text("mailbox_id"),
    status: text("status", { enum: outreachMessageStatuses }).notNull(),
    skipReason: text("skip_reason"),
    error: text("error"),
    fromAddress: text("from_address"),
    /** Email address or phone number. */
    toAddress: text("to_address").notNull(),
    subject: text("subject"),
    text: text("text").notNull(),
    html: text("html"),
    /** Our RFC 5322 Message-ID (without <>), matched against a reply's In-Reply-To/References. */
    messageIdHeader: text("message_id_header"),
    /** The reply-to token (`reply+<token>@…`) that ties an inbound reply to this message. */
    replyToken: text("reply_token"),
    /** The transport's or provider's id (SMTP queue id, Postmark MessageID, Twilio SID). */
    providerMessageId: text("provider_message_id"),
    transport: text("transport"),
    /** When the scheduler placed the send (inside the window, under the cap). */
    scheduledFor: timestamp("scheduled_for"),
    sentAt: timestamp("sent_at"),
    deliveredAt: timestamp("delivered_at"),
    firstOpenedAt: timestamp("first_opened_at"),
    firstClickedAt: timestamp("first_clicked_at"),
    repliedAt: timestamp("replied_at"),
    bouncedAt: timestamp("bounced_at"),
    unsubscribedAt: timestamp("unsubscribed_at"),
    openCount: integer("open_count").notNull().default(0),
    clickCount: integer("click_count").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("outreach_messages_dedupe_idx").on(t.tenantId, t.dedupeKey),
    index("outreach_messages_tenant_created_idx").on(t.tenantId, t.id),
    index("outreach_messages_contact_idx").on(t.tenantId, t.contactId, t.id),
    // Partial: every read names its campaign, sequence (analytics, stats); a send outside one
    // (a sequence without a campaign, a one-off email) writes no entry.
    index("outreach_messages_campaign_idx")
      .on(t.tenantId, t.campaignId, t.stepId, t.variantKey)
      .where(sql`campaign_id is not null`),
    index("outreach_messages_sequence_idx")
      .on(t.tenantId, t.sequenceId, t.stepId, t.variantKey)
      .where(sql`sequence_id is not null`),
    // Inbound matching arrives without a tenant: the token is global. A Message-ID is ours as
    // `<id>@<inbound domain>`, so it is looked up by the id (findInboundTarget), not by an index.
    uniqueIndex("outreach_messages_reply_token_idx").on(t.replyToken),
  ],
);

export const outreachEventTypes = [
  "sent",
  "delivered",
  "opened",
  "clicked",
  "replied",
  "bounced",
  "unsubscribed",
  "complained",
  "failed",
  "skipped",
] as const;
export type OutreachEventType = (typeof outreachEventTypes)[number];

/** Every tracking event of a message, in time order: analytics' time series read these. */
export const outreachEvents = sqliteTable(
  "outreach_events",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    messageId: text("message_id").notNull(),
    type: text("type", { enum: outreachEventTypes }).notNull(),
    contactId: text("contact_id"),
    campaignId: text("campaign_id"),
    sequenceId: text("sequence_id"),
    /** Clicks: the link followed. Bounces: the diagnostic. */
    detail: text("detail"),
    occurredAt: timestamp("occurred_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("outreach_events_message_idx").on(t.tenantId, t.messageId, t.occurredAt),
    // Partial, as its read is: a campaign's time series. Nothing reads events by sequence
    // (sequence stats count outreach_messages).
    index("outreach_events_campaign_idx")
      .on(t.tenantId, t.campaignId, t.type, t.occurredAt)
      .where(sql`campaign_id is not null`),
    // A contact's events since a time: the stale-score check's probe (any type) and the
    // timeline's bounces.
    index("outreach_events_contact_idx").on(t.tenantId, t.contactId, t.occurredAt),
  ],
);

export const replyClassifications = [
  "interested",
  "not_interested",
  "question",
  "out_of_office",
  "unsubscribe",
  "bounce",
  "referral",
  "other",
] as const;

/** A message received by the email() handler, matched to what we sent when possible. */
export const inboundEmails = sqliteTable(
  "inbound_emails",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    /** The outreach message it answers. */
    messageId: text("message_id"),
    contactId: text("contact_id"),
    enrollmentId: text("enrollment_id"),
    fromAddress: text("from_address").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject"),
    text: text("text"),
    html: text("html"),
    messageIdHeader: text("message_id_header"),
    inReplyTo: text("in_reply_to"),
    classification: text("classification", { enum: replyClassifications }).notNull(),
    /** Why it was classified so (the rule that matched). */
    classificationReason: text("classification_reason").notNull(),
    /** The AI engine's reply class (seven classes), beside the rule class above; null until classified. */
    aiClassification: text("ai_classification"),
    /** The probability the engine gave that class (0-1). */
    aiConfidence: real("ai_confidence"),
    /** What the engine suggests doing about the reply. */
    aiSuggestedAction: json<{
      type: string;
      description: string;
      resumeOn?: string;
      referredContact?: { name: string | null; email: string | null };
    }>("ai_suggested_action"),
    /** The ai_outputs row with the explanation and factors. */
    aiOutputId: text("ai_output_id"),
    receivedAt: timestamp("received_at").notNull(),
    /**
     * When a delivery (or the sweep) last took the reply on to act on it; another one may take
     * it over only once this is old, so two deliveries of the same mail never both act.
     */
    claimedAt: timestamp("claimed_at"),
    /** When the reply's effects were all recorded; null while a crash may have cut them short. */
    processedAt: timestamp("processed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("inbound_emails_tenant_idx").on(t.tenantId, t.id),
    // The sweep's read: replies whose processing stopped part way (few, so a partial index).
    index("inbound_emails_unprocessed_idx").on(t.claimedAt).where(sql`${t.processedAt} is null`),
    index("inbound_emails_contact_idx").on(t.tenantId, t.contactId, t.receivedAt),
    // A redelivered inbound message (same Message-ID) is stored once.
    uniqueIndex("inbound_emails_message_id_idx").on(t.tenantId, t.messageIdHeader),
  ],
);

export const suppressionReasons = ["unsubscribed", "bounced", "complained", "manual"] as const;

/** Addresses (or phone numbers) the tenant never sends to, whatever a contact record says. */
export const suppressions = sqliteTable(
  "suppressions",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    /** Lower-cased email address, or an E.164 phone number. */
    address: text("address").notNull(),
    reason: text("reason", { enum: suppressionReasons }).notNull(),
    /** Where it came from: `message:<id>`, `import`, a user id. */
    source: text("source"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("suppressions_address_idx").on(t.tenantId, t.address)],
);

export const campaignStatuses = ["draft", "running", "paused", "completed"] as const;

/** Who a campaign enrolls: the contact list's filters (same names as GET /contacts). */
export type CampaignAudience = Record<string, string | string[]>;
export interface CampaignGoal {
  metric: "replies" | "meetings" | "deals_won" | "revenue";
  target: number;
}

/** A sequence sent to an audience, with a goal; its enrollments carry its id. */
export const campaigns = sqliteTable(
  "campaigns",
  {
    id: text("id").primaryKey(),
    tenantId: tenantIdColumn(),
    name: text("name").notNull(),
    description: text("description"),
    sequenceId: text("sequence_id").notNull(),
    audience: json<CampaignAudience>("audience").notNull(),
    goal: json<CampaignGoal>("goal"),
    status: text("status", { enum: campaignStatuses }).notNull().default("draft"),
    clonedFrom: text("cloned_from"),
    startedAt: timestamp("started_at"),
    pausedAt: timestamp("paused_at"),
    completedAt: timestamp("completed_at"),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp("deleted_at"),
  },
  (t) => [index("campaigns_tenant_idx").on(t.tenantId, t.id)],
);
