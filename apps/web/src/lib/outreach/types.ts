/**
 * API shapes of the outreach endpoints the dashboard reads: /sequences (steps inline), their
 * enrollments, /outreach/messages (the outbox), /mailboxes and /suppressions. Fields are the
 * camelCase of the outreach tables' columns.
 */

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export type StepChannel = "email" | "sms" | "whatsapp" | "call";
export type DelayUnit = "hours" | "days" | "business_days";
export type SequenceStatus = "active" | "paused" | "archived";

/** Days: 1 = Monday … 7 = Sunday; times "HH:MM" in the recipient's zone. */
export interface SendWindow {
  days: number[];
  start: string;
  end: string;
}

export interface ExitRules {
  onReply: boolean;
  onBounce: boolean;
  onUnsubscribe: boolean;
  onDealWon: boolean;
  onMeetingBooked: boolean;
}

export interface StepVariant {
  key: string;
  weight: number;
  subject?: string | null;
  body: string;
}

export interface SequenceStep {
  id: string;
  position: number;
  channel: StepChannel;
  delayAmount: number;
  delayUnit: DelayUnit;
  variants: StepVariant[];
  aiPersonalise: boolean;
}

export interface Sequence {
  id: string;
  name: string;
  description: string | null;
  status: SequenceStatus;
  mailboxId: string | null;
  sendWindow: SendWindow;
  defaultTimeZone: string;
  exitRules: ExitRules;
  steps: SequenceStep[];
  createdAt: string;
  updatedAt: string;
}

/** One step as rendered for one contact (POST /sequences/{id}/preview). */
export interface PreviewVariant {
  key: string;
  subject: string | null;
  body: string;
}
export interface PreviewStep {
  stepId: string;
  position: number;
  channel: StepChannel;
  variants: PreviewVariant[];
}
export interface SequencePreview {
  contactId: string;
  steps: PreviewStep[];
}

export type EnrollmentStatus = "active" | "paused" | "completed" | "exited" | "unenrolled";

export interface Enrollment {
  id: string;
  sequenceId: string;
  contactId: string;
  campaignId: string | null;
  status: EnrollmentStatus;
  exitReason: string | null;
  source: "manual" | "filter" | "workflow" | "campaign" | "referral";
  mailboxId: string | null;
  nextStepId: string | null;
  dueAt: string | null;
  stepsCompleted: number;
  lastSentAt: string | null;
  pausedAt: string | null;
  /** A pause that ends by itself (an out-of-office reply's return date). */
  pausedUntil?: string | null;
  /** The reply, class and action behind the last pause or exit. */
  statusReason?: {
    inboundEmailId: string;
    decidedBy: "ai" | "rules";
    classification: string;
    ruleClassification: string;
    action: string;
    description: string;
  } | null;
  endedAt: string | null;
  createdAt: string;
  /** The contact's name and address when the API includes them. */
  contact?: { id: string; firstName?: string | null; lastName?: string | null; email?: string | null } | null;
}

export type EnrollOutcome = "enrolled" | "already_enrolled" | "skipped";
export interface EnrollResult {
  data: { contactId: string; result: EnrollOutcome; enrollmentId?: string | null; reason?: string | null }[];
}

export interface FilterPreviewContact {
  id: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
}
export interface FilterPreview {
  count: number;
  sample: FilterPreviewContact[];
}
export interface FilterEnrollResult {
  enrolled: number;
  alreadyEnrolled: number;
}

export type OutreachMessageStatus = "queued" | "sent" | "failed" | "skipped";

export interface OutreachMessage {
  id: string;
  channel: StepChannel;
  contactId: string | null;
  enrollmentId: string | null;
  sequenceId: string | null;
  stepId: string | null;
  variantKey: string | null;
  campaignId: string | null;
  mailboxId: string | null;
  status: OutreachMessageStatus;
  skipReason: string | null;
  error: string | null;
  fromAddress: string | null;
  toAddress: string;
  subject: string | null;
  text: string;
  html?: string | null;
  transport: string | null;
  scheduledFor: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  firstOpenedAt: string | null;
  firstClickedAt: string | null;
  repliedAt: string | null;
  bouncedAt: string | null;
  unsubscribedAt: string | null;
  openCount: number;
  clickCount: number;
  createdAt: string;
}

export interface OutreachEvent {
  id: string;
  type: string;
  detail: string | null;
  occurredAt: string;
}

export interface InboundReply {
  id: string;
  fromAddress: string;
  subject: string | null;
  text: string | null;
  classification: string;
  classificationReason: string;
  receivedAt: string;
}

export interface OutreachMessageDetail extends OutreachMessage {
  events: OutreachEvent[];
  replies?: InboundReply[];
}

export type MailboxTransport = "dev_outbox" | "smtp" | "postmark";

export interface MailboxSettings {
  host?: string;
  port?: number;
  security?: "tls" | "starttls" | "none";
  username?: string;
  apiBaseUrl?: string;
  messageStream?: string;
}

export interface Mailbox {
  id: string;
  name: string;
  fromAddress: string;
  fromName: string | null;
  transport: MailboxTransport;
  settings: MailboxSettings;
  hasCredentials: boolean;
  dailyCap: number;
  minSpacingSeconds: number;
  isDefault: boolean;
  lastSentAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type SuppressionReason = "unsubscribed" | "bounced" | "complained" | "manual";

export interface Suppression {
  id: string;
  address: string;
  reason: SuppressionReason;
  source: string | null;
  createdAt: string;
}

export interface StatCounts {
  sent: number;
  opened: number;
  clicked: number;
  replied: number;
  bounced: number;
  unsubscribed: number;
  skipped: number;
  failed: number;
}

/** GET /sequences/{id}/stats: per step and variant, counted from the messages. */
export interface SequenceStats {
  sequenceId: string;
  totals: StatCounts;
  steps: (StatCounts & {
    stepId: string;
    position: number;
    channel: StepChannel;
    retired: boolean;
    variants: (StatCounts & { variantKey: string | null })[];
  })[];
}
