// The daily review's stuck deals: open deals that have sat in their stage longer than deals
// usually do there, or that nobody has touched for a while.
import { type Explained, builtin } from "../engine";
import { type Instant, type StageFacts, daysBetween, toMs } from "./facts";

export const stuckDealsEngine = builtin("stuck-deal-rules", "1");

/** One stay of a deal in a stage (deal_stage_history): finished stays have `leftAt`. */
export interface StageStay {
  stageId: string;
  enteredAt: Instant;
  leftAt: Instant | null;
}

export interface TypicalStageTime {
  stageId: string;
  /** Median days a deal spent in the stage. */
  days: number;
  /** Finished stays the median is taken over. */
  samples: number;
}

function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The median time deals spent in each stage, from finished stays only (a deal still in the
 * stage has not shown how long it takes). Stages with fewer than `minSamples` stays are left
 * out: a median of two is noise. Days to one decimal.
 */
export function typicalStageTimes(history: StageStay[], options: { minSamples?: number } = {}): TypicalStageTime[] {
  const minSamples = options.minSamples ?? 5;
  const byStage = new Map<string, number[]>();
  for (const stay of history) {
    if (stay.leftAt === null) continue;
    const days = (toMs(stay.leftAt) - toMs(stay.enteredAt)) / 86_400_000;
    byStage.set(stay.stageId, [...(byStage.get(stay.stageId) ?? []), days]);
  }
  return [...byStage.entries()]
    .filter(([, days]) => days.length >= minSamples)
    .map(([stageId, days]) => ({
      stageId,
      days: Math.round(median(days.sort((a, b) => a - b)) * 10) / 10,
      samples: days.length,
    }))
    .sort((a, b) => a.stageId.localeCompare(b.stageId));
}

export interface DealToReview {
  id: string;
  name: string;
  status: "active" | "won" | "lost" | "paused";
  stage: StageFacts;
  stageEnteredAt: Instant;
  /** The last activity, email or reply on the deal (or its contact); absent when there was none. */
  lastActivityAt?: Instant | null;
}

export type StuckReason = "over_typical_time" | "no_recent_activity";

export interface StuckDeal {
  dealId: string;
  dealName: string;
  stageName: string;
  daysInStage: number;
  typicalDays: number;
  /** Where the typical time came from: the stage's history, its follow-up days, or the default. */
  typicalFrom: "history" | "follow_up_days" | "default";
  daysSinceActivity: number;
  reasons: StuckReason[];
  explanation: string;
}

export interface StuckDealOptions {
  now: Instant;
  /** From typicalStageTimes over the tenant's stage history. */
  typicalTimes?: TypicalStageTime[];
  /** No activity for this many days makes a deal stuck. Default 14. */
  inactiveDays?: number;
  /** A stage without enough history is typically left after this many times its follow-up days. Default 2. */
  followUpMultiple?: number;
  /** A stage with neither history nor follow-up days: its typical days. Default 30. */
  defaultTypicalDays?: number;
}

/**
 * The stuck deals among `deals`, the most stuck first (both reasons before one; then the most
 * days over the typical time; then the longest silence). Closed and paused deals are skipped.
 */
export function findStuckDeals(deals: DealToReview[], options: StuckDealOptions): Explained<StuckDeal[]> {
  const inactiveDays = options.inactiveDays ?? 14;
  const multiple = options.followUpMultiple ?? 2;
  const defaultDays = options.defaultTypicalDays ?? 30;
  const typical = new Map((options.typicalTimes ?? []).map((t) => [t.stageId, t]));
  const open = deals.filter((d) => d.status === "active" && !d.stage.isWon && !d.stage.isLost);

  const stuck: StuckDeal[] = [];
  for (const deal of open) {
    const fromHistory = typical.get(deal.stage.id);
    const [typicalDays, typicalFrom]: [number, StuckDeal["typicalFrom"]] = fromHistory
      ? [fromHistory.days, "history"]
      : deal.stage.followUpDays !== null
        ? [deal.stage.followUpDays * multiple, "follow_up_days"]
        : [defaultDays, "default"];
    const daysInStage = daysBetween(deal.stageEnteredAt, options.now);
    const lastActivity =
      deal.lastActivityAt && toMs(deal.lastActivityAt) > toMs(deal.stageEnteredAt)
        ? deal.lastActivityAt
        : deal.stageEnteredAt;
    const daysSinceActivity = daysBetween(lastActivity, options.now);
    const reasons: StuckReason[] = [];
    const sentences: string[] = [];
    if (daysInStage > typicalDays) {
      reasons.push("over_typical_time");
      const basis =
        typicalFrom === "history"
          ? `deals usually leave it after ${typicalDays} days (median of ${fromHistory!.samples})`
          : typicalFrom === "follow_up_days"
            ? `without enough history, ${multiple} × its ${deal.stage.followUpDays} follow-up days is the typical time`
            : `without history or follow-up days, ${defaultDays} days is the typical time`;
      sentences.push(`${daysInStage} days in ${deal.stage.name}; ${basis}.`);
    }
    if (daysSinceActivity >= inactiveDays) {
      reasons.push("no_recent_activity");
      sentences.push(
        deal.lastActivityAt
          ? `No activity for ${daysSinceActivity} days (limit ${inactiveDays}).`
          : `No activity since it entered ${deal.stage.name} ${daysSinceActivity} days ago (limit ${inactiveDays}).`,
      );
    }
    if (reasons.length === 0) continue;
    stuck.push({
      dealId: deal.id,
      dealName: deal.name,
      stageName: deal.stage.name,
      daysInStage,
      typicalDays,
      typicalFrom,
      daysSinceActivity,
      reasons,
      explanation: sentences.join(" "),
    });
  }
  stuck.sort(
    (a, b) =>
      b.reasons.length - a.reasons.length ||
      b.daysInStage - b.typicalDays - (a.daysInStage - a.typicalDays) ||
      b.daysSinceActivity - a.daysSinceActivity ||
      a.dealId.localeCompare(b.dealId),
  );
  const overTime = stuck.filter((s) => s.reasons.includes("over_typical_time")).length;
  const silent = stuck.filter((s) => s.reasons.includes("no_recent_activity")).length;
  return {
    result: stuck,
    explanation:
      stuck.length === 0
        ? open.length === 1
          ? "The one open deal is not stuck."
          : `None of ${open.length} open deals is stuck.`
        : `${stuck.length} of ${open.length} open ${open.length === 1 ? "deal is" : stuck.length === 1 ? "deals is" : "deals are"} stuck: ${overTime} over their stage's typical time, ${silent} without activity for ${inactiveDays}+ days.`,
    factors: [
      { name: "over the stage's typical time", impact: overTime, value: overTime },
      { name: `no activity for ${inactiveDays}+ days`, impact: silent, value: silent },
    ].sort((a, b) => b.impact - a.impact),
    engine: stuckDealsEngine,
  };
}
