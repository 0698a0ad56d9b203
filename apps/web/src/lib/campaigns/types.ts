// API shapes the campaign pages read (see /api/v1/campaigns in openapi.json).

export type CampaignStatus = "draft" | "running" | "paused" | "completed";
export type GoalMetric = "replies" | "meetings" | "deals_won" | "revenue";

export interface Campaign {
  id: string;
  name: string;
  description: string | null;
  sequenceId: string;
  audience: Record<string, string | string[]>;
  goal: { metric: GoalMetric; target: number } | null;
  status: CampaignStatus;
  enrolled: number;
  clonedFrom: string | null;
  startedAt: string | null;
  pausedAt: string | null;
  completedAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** What the campaign form offers from GET /api/v1/sequences. */
export interface SequenceOption {
  id: string;
  name: string;
  status: string;
}

export interface MessageCounts {
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  replied: number;
  bounced: number;
  unsubscribed: number;
  skipped: number;
  failed: number;
}

export interface Totals extends MessageCounts {
  enrolled: number;
  converted: number;
  revenue: number;
}

export interface Rates {
  deliveryRate: number;
  openRate: number;
  clickRate: number;
  replyRate: number;
  bounceRate: number;
  unsubscribeRate: number;
  conversionRate: number;
}

export interface CampaignAnalytics {
  campaignId: string;
  totals: Totals;
  rates: Rates;
  steps: {
    stepId: string;
    position: number;
    channel: string;
    removed: boolean;
    variants: (MessageCounts & {
      key: string;
      weight: number | null;
      subject: string | null;
      converted: number;
      revenue: number;
    })[];
  }[];
  funnel: { stage: string; contacts: number }[];
}

export interface DayCounts {
  date: string;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  replied: number;
  bounced: number;
  unsubscribed: number;
}

export interface CampaignTimeSeries {
  campaignId: string;
  from: string;
  to: string;
  days: DayCounts[];
}

export interface CampaignComparison {
  data: { id: string; name: string; status: CampaignStatus; startedAt: string | null; totals: Totals; rates: Rates }[];
}

export interface StartResult {
  campaign: Campaign;
  matched: number;
  enrolled: number;
  alreadyEnrolled: number;
  skipped: { contactId: string; reason: string }[];
}

export interface TestSendResult {
  messageId: string;
  to: string;
  from: string | null;
  subject: string;
  text: string;
  variantKey: string;
  transport: string;
}
