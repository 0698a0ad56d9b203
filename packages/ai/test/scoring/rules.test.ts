import { describe, expect, it } from "vitest";
import {
  DEFAULT_LEAD_SCORING,
  icpRuleMatches,
  leadLevel,
  qualificationDecision,
  scoreLead,
  type LeadScoringConfig,
  type LeadSignals,
} from "../../src";

const config: LeadScoringConfig = {
  ...DEFAULT_LEAD_SCORING,
  icpRules: [
    { field: "industry", operator: "in", value: ["SaaS", "Fintech"], points: 30 },
    { field: "employees", operator: "gte", value: 50, points: 20 },
    { field: "country", operator: "equals", value: "Antarctica", points: -10 },
  ],
};
const now = "2026-12-01T12:00:00Z";
const signals: LeadSignals = {
  email: { sent: 10, bounced: 2, opened: 6, clicked: 2, replied: 1 },
  activities: { call: 1, meeting: 1 },
  lastEngagedAt: "2026-11-17T12:00:00Z",
  profile: {
    email: "ada@example.com",
    phone: "",
    firstName: "Ada",
    lastName: "Lovelace",
    company: "Acme",
    jobTitle: null,
    industry: "saas",
    employees: "120",
    country: "France",
  },
};

describe("lead rule score", () => {
  it("scores each component by hand-checkable rules and takes their weighted mean", () => {
    const scored = scoreLead(signals, config, { now, currentStage: "lead" });
    // engagement: 6 opens × 1 + 2 clicks × 3 + 1 reply × 10 + call 5 + meeting 10 = 37 of 40 → 92.5
    // recency: 14 days at a 14-day half-life → 50
    // response rate: 1 reply / (10 sent - 2 bounced) = 12.5%, full marks at 25% → 50
    // completeness: email 2 + first 1 + last 1 + company 1 of 7 (phone, jobTitle missing) → 71.4
    // fit: industry 30 + employees 20 of 50 possible → 100
    // rule score: (92.5·30 + 50·20 + 50·15 + 71.43·10 + 100·25) / 100 = 77.39 → 77
    expect(scored.result.components.map((c) => [c.name, c.score, c.share])).toEqual([
      ["engagement", 92.5, 0.3],
      ["recency", 50, 0.2],
      ["responseRate", 50, 0.15],
      ["completeness", 71.4, 0.1],
      ["fit", 100, 0.25],
    ]);
    expect(scored.result).toMatchObject({
      score: 77,
      ruleScore: 77,
      modelScore: null,
      level: "warm",
      qualification: { status: "qualified", moveToStage: "mql" },
      override: null,
    });
    expect(scored.factors).toEqual([
      { name: "engagement", impact: 27.8, value: 92.5 },
      { name: "ICP fit", impact: 25, value: 100 },
      { name: "recency", impact: 10, value: 50 },
      { name: "response rate", impact: 7.5, value: 50 },
      { name: "profile completeness", impact: 7.1, value: 71.4 },
    ]);
    expect(scored.engine).toEqual({ engine: "builtin", model: "lead-rules", version: "1" });
    expect(scored.explanation).toBe(
      "Score 77 from the rules (no trained model). Level warm; qualified, moves to MQL. Components: " +
        "ICP fit 100 (50 of 50 ICP points: industry in SaaS/Fintech, employees gte 50); " +
        "engagement 92.5 (37 points from opens ×6, clicks ×2, replies ×1, call ×1, meeting ×1, 40 for 100); " +
        "profile completeness 71.4 (missing phone, jobTitle); " +
        "recency 50 (last engaged 14 days ago, halving every 14); " +
        "response rate 50 (1 of 8 delivered emails answered, 12.5%).",
    );
  });

  it("blends with the model score by the tenant's weights", () => {
    // 77.39 × 0.5 + 40 × 0.5 = 58.7 → 59: cold, and between the thresholds.
    const scored = scoreLead(signals, config, { now, modelScore: 40 });
    expect(scored.result).toMatchObject({
      score: 59,
      ruleScore: 77,
      modelScore: 40,
      level: "cold",
      qualification: { status: "undecided", moveToStage: null },
    });
    expect(scored.factors[0]).toEqual({ name: "model score", impact: 20, value: 40 });
    expect(scored.engine.model).toBe("lead-rules+model");
    // 3 parts rules, 1 part model: 77.39 × 0.75 + 40 × 0.25 = 68.04 → 68.
    const weighted = scoreLead(signals, { ...config, blend: { rules: 3, model: 1 } }, { now, modelScore: 40 });
    expect(weighted.result.score).toBe(68);
  });

  it("lets a person's override win, with the reason in the explanation", () => {
    const scored = scoreLead(signals, config, {
      now,
      modelScore: 40,
      override: { score: 90, reason: "Met at the conference" },
    });
    expect(scored.result).toMatchObject({
      score: 90,
      level: "hot",
      qualification: { status: "qualified", moveToStage: "mql" },
    });
    expect(
      scored.explanation.startsWith("Score 90 set by hand (Met at the conference); the computed score was 59."),
    ).toBe(true);
    expect(() => scoreLead(signals, config, { now, override: { score: 90, reason: " " } })).toThrow(
      "an override needs a reason",
    );
    expect(() => scoreLead(signals, config, { now, override: { score: 101, reason: "x" } })).toThrow(
      "an override score must be between 0 and 100",
    );
  });

  it("gives the weight of a component with nothing to judge to the others, and marks silent leads inactive", () => {
    // Never emailed, never engaged, no ICP rules: only engagement (0), recency (0) and completeness (100) count.
    const scored = scoreLead(
      { profile: { email: "a@b.co", phone: "1", firstName: "A", lastName: "B", company: "C", jobTitle: "D" } },
      DEFAULT_LEAD_SCORING,
      { now },
    );
    expect(scored.result.components.map((c) => [c.name, c.score, c.share])).toEqual([
      ["engagement", 0, 0.5],
      ["recency", 0, 1 / 3],
      ["responseRate", null, 0],
      ["completeness", 100, 1 / 6],
      ["fit", null, 0],
    ]);
    expect(scored.result).toMatchObject({
      score: 17,
      level: "inactive",
      qualification: { status: "disqualified", moveToStage: null },
    });
    expect(scored.explanation).toContain("Level inactive (never engaged); disqualified.");
    // Last engaged 90 days ago: inactive too, however good the rest.
    const stale = scoreLead({ ...signals, lastEngagedAt: "2026-09-02T12:00:00Z" }, config, { now });
    expect(stale.result.level).toBe("inactive");
    expect(stale.explanation).toContain("(no engagement for 90 days)");
  });
});

describe("levels and qualification", () => {
  it("cuts levels at 80, 60 and 40", () => {
    expect([80, 79, 60, 59, 40, 39, 0].map((s) => leadLevel(s, false))).toEqual([
      "hot",
      "warm",
      "warm",
      "cold",
      "cold",
      "nurture",
      "nurture",
    ]);
    expect(leadLevel(95, true)).toBe("inactive");
  });

  it("qualifies at 70, moves to MQL at 75, disqualifies under 40", () => {
    expect([75, 74, 70, 69, 40, 39].map((s) => qualificationDecision(s))).toEqual([
      { status: "qualified", moveToStage: "mql" },
      { status: "qualified", moveToStage: null },
      { status: "qualified", moveToStage: null },
      { status: "undecided", moveToStage: null },
      { status: "undecided", moveToStage: null },
      { status: "disqualified", moveToStage: null },
    ]);
  });

  it("never moves a lead already at or past MQL, and takes the tenant's thresholds", () => {
    expect(qualificationDecision(90, undefined, "sql")).toEqual({ status: "qualified", moveToStage: null });
    expect(qualificationDecision(90, undefined, "subscriber")).toEqual({ status: "qualified", moveToStage: "mql" });
    expect(qualificationDecision(55, { qualify: 50, moveToMql: 55, disqualify: 20 })).toEqual({
      status: "qualified",
      moveToStage: "mql",
    });
  });
});

describe("ICP rules", () => {
  const profile = { industry: "SaaS", employees: "120", country: "", tags: "b2b, enterprise", founded: 2019 };
  it.each([
    [{ field: "industry", operator: "equals", value: "saas" }, true],
    [{ field: "industry", operator: "not_equals", value: "SaaS" }, false],
    [{ field: "industry", operator: "in", value: ["Retail", "SAAS"] }, true],
    [{ field: "industry", operator: "not_in", value: ["Retail"] }, true],
    [{ field: "tags", operator: "contains", value: "Enterprise" }, true],
    [{ field: "employees", operator: "gt", value: 120 }, false],
    [{ field: "employees", operator: "gte", value: 120 }, true],
    [{ field: "founded", operator: "lt", value: 2020 }, true],
    [{ field: "founded", operator: "lte", value: 2018 }, false],
    [{ field: "industry", operator: "gt", value: 3 }, false],
    [{ field: "country", operator: "exists" }, false],
    [{ field: "country", operator: "not_exists" }, true],
    [{ field: "country", operator: "not_equals", value: "France" }, true],
    [{ field: "missingField", operator: "equals", value: "x" }, false],
  ] as const)("%o → %s", (rule, expected) => {
    expect(icpRuleMatches({ ...rule, points: 10 } as Parameters<typeof icpRuleMatches>[0], profile)).toBe(expected);
  });

  it("treats the tenant's missing tokens as absent", () => {
    expect(
      icpRuleMatches({ field: "industry", operator: "exists", points: 5 }, { industry: "Select" }, ["select"]),
    ).toBe(false);
  });
});
