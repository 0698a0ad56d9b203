import { replyClassNames } from "../text/reply-cues";
// The facts decisions are made from, as plain objects a service assembles from D1 rows: dates as
// Date (what drizzle returns), ISO strings or epoch milliseconds.

export type Instant = Date | string | number;

const dayMs = 86_400_000;

export function toMs(at: Instant): number {
  const ms = at instanceof Date ? at.getTime() : typeof at === "number" ? at : Date.parse(at);
  if (Number.isNaN(ms)) throw new RangeError(`Not a date: ${String(at)}`);
  return ms;
}

export function toIso(at: Instant): string {
  return new Date(toMs(at)).toISOString();
}

/** Whole days from `from` to `to` (rounded down; negative when `to` is earlier). */
export function daysBetween(from: Instant, to: Instant): number {
  return Math.floor((toMs(to) - toMs(from)) / dayMs);
}

export function addDays(at: Instant, days: number): string {
  return new Date(toMs(at) + days * dayMs).toISOString();
}

/**
 * A reply's class as the AI classifier names it. The inbound handler stores the shorter
 * names ("unsubscribe", "bounce", "other"); both are accepted and read as these.
 */
export const decisionReplyClasses = [...replyClassNames, "other"] as const;
export type DecisionReplyClass = (typeof decisionReplyClasses)[number];
export type StoredReplyClass = DecisionReplyClass | "unsubscribe" | "bounce";

export function normaliseReplyClass(value: StoredReplyClass): DecisionReplyClass {
  if (value === "unsubscribe") return "unsubscribe_request";
  if (value === "bounce") return "bounce_auto_reply";
  return value;
}

export interface ReplyFacts {
  class: StoredReplyClass;
  at: Instant;
  /** The classifier's confidence in [0, 1]; rule classifications count as certain. */
  confidence?: number | null;
  /** For out-of-office replies: the return date the reply gave, when it gave one. */
  returnDate?: Instant | null;
}

/** The sequence enrollment statuses and exit reasons of the outreach tables. */
export type SequenceStatus = "active" | "paused" | "completed" | "exited" | "unenrolled";
export type SequenceExitReason =
  "replied" | "bounced" | "unsubscribed" | "deal_won" | "meeting_booked" | "do_not_contact" | "sequence_archived";

export interface SequenceFacts {
  status: SequenceStatus;
  exitReason?: SequenceExitReason | null;
  /** When the next step is due (active enrollments). */
  dueAt?: Instant | null;
  pausedAt?: Instant | null;
  sequenceName?: string | null;
}

export const scoreLevels = ["hot", "warm", "cold", "nurture", "inactive"] as const;
export type ScoreLevel = (typeof scoreLevels)[number];
export const churnLevels = ["low", "medium", "high", "critical"] as const;
export type ChurnLevel = (typeof churnLevels)[number];

export interface ScoreFacts {
  /** The lead score, 0-100. */
  value: number;
  level: ScoreLevel;
}

/** A pipeline stage as stored: `followUpDays` and `autoActions` are the stage's own settings. */
export interface StageFacts {
  id: string;
  name: string;
  position: number;
  probability: number;
  isWon: boolean;
  isLost: boolean;
  followUpDays: number | null;
  autoActions: string[];
}

/** The auto-action names the seeded pipelines use and the agent knows how to carry out. */
export const knownAutoActions = ["send_follow_up_email", "create_follow_up_task"] as const;
export type KnownAutoAction = (typeof knownAutoActions)[number];

export function isKnownAutoAction(name: string): name is KnownAutoAction {
  return (knownAutoActions as readonly string[]).includes(name);
}

export const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
