import { describe, expect, it } from "vitest";
import { type DealToReview, type StageStay, findStuckDeals, typicalStageTimes } from "../../src";
import { opportunityFound, sales } from "./fixtures";

const day = 86_400_000;
const start = Date.parse("2026-01-01T00:00:00.000Z");
const stay = (stageId: string, days: number | null): StageStay => ({
  stageId,
  enteredAt: new Date(start),
  leftAt: days === null ? null : new Date(start + days * day),
});

describe("typical time in a stage", () => {
  const history = [
    ...[2, 4, 6, 8, 10].map((d) => stay("st_a", d)),
    stay("st_a", null),
    stay("st_b", 1),
    stay("st_b", 4),
  ];

  it("is the median of finished stays, for stages with enough of them", () => {
    expect(typicalStageTimes(history)).toEqual([{ stageId: "st_a", days: 6, samples: 5 }]);
    expect(typicalStageTimes(history, { minSamples: 2 })).toEqual([
      { stageId: "st_a", days: 6, samples: 5 },
      { stageId: "st_b", days: 2.5, samples: 2 },
    ]);
  });

  it("keeps one decimal of a fractional median", () => {
    expect(typicalStageTimes([stay("st_c", 1.25), stay("st_c", 3.04), stay("st_c", 7)], { minSamples: 3 })).toEqual([
      { stageId: "st_c", days: 3, samples: 3 },
    ]);
    expect(typicalStageTimes([stay("st_c", 1.26), stay("st_c", 1.5)], { minSamples: 2 })).toEqual([
      { stageId: "st_c", days: 1.4, samples: 2 },
    ]);
  });
});

describe("stuck deals for the daily review", () => {
  const now = "2026-03-10T12:00:00.000Z";
  const discovery = { ...sales.contacted!, id: "st_a", name: "Discovery", followUpDays: 2 };
  const evaluation = { ...sales.contacted!, id: "st_c", name: "Evaluation", followUpDays: 10 };
  const deals: DealToReview[] = [
    {
      id: "dl_1",
      name: "Acme",
      status: "active",
      stage: discovery,
      stageEnteredAt: "2026-02-28T12:00:00.000Z",
      lastActivityAt: "2026-03-08T12:00:00.000Z",
    },
    { id: "dl_2", name: "Beta", status: "active", stage: sales.contacted!, stageEnteredAt: "2026-03-06T12:00:00.000Z" },
    {
      id: "dl_3",
      name: "Gamma",
      status: "active",
      stage: opportunityFound,
      stageEnteredAt: "2026-01-29T12:00:00.000Z",
      lastActivityAt: "2026-02-18T12:00:00.000Z",
    },
    { id: "dl_4", name: "Delta", status: "won", stage: sales.won!, stageEnteredAt: "2025-10-01T12:00:00.000Z" },
    {
      id: "dl_5",
      name: "Epsilon",
      status: "active",
      stage: evaluation,
      stageEnteredAt: "2026-02-23T12:00:00.000Z",
      lastActivityAt: "2026-02-01T12:00:00.000Z",
    },
    {
      id: "dl_6",
      name: "Zeta",
      status: "active",
      stage: sales.contacted!,
      stageEnteredAt: "2026-02-20T12:00:00.000Z",
      lastActivityAt: "2026-03-09T12:00:00.000Z",
    },
  ];
  const typicalTimes = [{ stageId: "st_a", days: 6, samples: 5 }];

  it("lists open deals over their stage's typical time or without recent activity, most stuck first", () => {
    const out = findStuckDeals(deals, { now, typicalTimes });
    expect(out.result).toEqual([
      {
        dealId: "dl_3",
        dealName: "Gamma",
        stageName: "Opportunity Found",
        daysInStage: 40,
        typicalDays: 30,
        typicalFrom: "default",
        daysSinceActivity: 20,
        reasons: ["over_typical_time", "no_recent_activity"],
        explanation:
          "40 days in Opportunity Found; without history or follow-up days, 30 days is the typical time. No activity for 20 days (limit 14).",
      },
      {
        dealId: "dl_6",
        dealName: "Zeta",
        stageName: "Contacted",
        daysInStage: 18,
        typicalDays: 6,
        typicalFrom: "follow_up_days",
        daysSinceActivity: 1,
        reasons: ["over_typical_time"],
        explanation: "18 days in Contacted; without enough history, 2 × its 3 follow-up days is the typical time.",
      },
      {
        dealId: "dl_1",
        dealName: "Acme",
        stageName: "Discovery",
        daysInStage: 10,
        typicalDays: 6,
        typicalFrom: "history",
        daysSinceActivity: 2,
        reasons: ["over_typical_time"],
        explanation: "10 days in Discovery; deals usually leave it after 6 days (median of 5).",
      },
      {
        dealId: "dl_5",
        dealName: "Epsilon",
        stageName: "Evaluation",
        daysInStage: 15,
        typicalDays: 20,
        typicalFrom: "follow_up_days",
        daysSinceActivity: 15,
        reasons: ["no_recent_activity"],
        explanation: "No activity for 15 days (limit 14).",
      },
    ]);
    expect(out.explanation).toBe(
      "4 of 5 open deals are stuck: 3 over their stage's typical time, 2 without activity for 14+ days.",
    );
    expect(out.factors).toEqual([
      { name: "over the stage's typical time", impact: 3, value: 3 },
      { name: "no activity for 14+ days", impact: 2, value: 2 },
    ]);
    expect(out.engine).toEqual({ engine: "builtin", model: "stuck-deal-rules", version: "1" });
  });

  it("takes the caller's inactivity limit", () => {
    const out = findStuckDeals(deals, { now, typicalTimes, inactiveDays: 30 });
    expect(out.result.map((d) => [d.dealId, d.reasons])).toEqual([
      ["dl_6", ["over_typical_time"]],
      ["dl_3", ["over_typical_time"]],
      ["dl_1", ["over_typical_time"]],
    ]);
  });

  it("says so when no deal is stuck", () => {
    const out = findStuckDeals([deals[1]!], { now });
    expect(out.result).toEqual([]);
    expect(out.explanation).toBe("The one open deal is not stuck.");
  });

  it("counts silence from the stage entry when there was no activity at all", () => {
    const out = findStuckDeals(
      [{ id: "dl_7", name: "Eta", status: "active", stage: evaluation, stageEnteredAt: "2026-02-20T12:00:00.000Z" }],
      { now },
    );
    expect(out.result[0]!.explanation).toBe("No activity since it entered Evaluation 18 days ago (limit 14).");
  });
});
