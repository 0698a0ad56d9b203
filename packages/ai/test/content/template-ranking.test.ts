import { describe, expect, it } from "vitest";
import { rankTemplates, wilsonLowerBound } from "../../src";

describe("template ranking", () => {
  it("ranks on the reply rate's 95% lower bound, then rating, and says why", () => {
    const out = rankTemplates([
      { templateId: "tpl_a", name: "Intro", sent: 200, replied: 20, ratings: [4, 5, 3] },
      { templateId: "tpl_b", name: "Short nudge", sent: 10, replied: 3 },
      { templateId: "tpl_c", name: "Case study", sent: 80, replied: 12, ratings: [5] },
      { templateId: "tpl_d", name: "New", sent: 0, replied: 0 },
      { templateId: "tpl_f", name: "Draft", sent: 0, replied: 0, ratings: [2] },
    ]);
    expect(out.result).toEqual([
      {
        templateId: "tpl_b",
        name: "Short nudge",
        sent: 10,
        replied: 3,
        replyRate: 0.3,
        replyRateLowerBound: 0.1078,
        averageRating: null,
        ratingCount: 0,
      },
      {
        templateId: "tpl_c",
        name: "Case study",
        sent: 80,
        replied: 12,
        replyRate: 0.15,
        replyRateLowerBound: 0.0879,
        averageRating: 5,
        ratingCount: 1,
      },
      {
        templateId: "tpl_a",
        name: "Intro",
        sent: 200,
        replied: 20,
        replyRate: 0.1,
        replyRateLowerBound: 0.0657,
        averageRating: 4,
        ratingCount: 3,
      },
      {
        templateId: "tpl_f",
        name: "Draft",
        sent: 0,
        replied: 0,
        replyRate: null,
        replyRateLowerBound: 0,
        averageRating: 2,
        ratingCount: 1,
      },
      {
        templateId: "tpl_d",
        name: "New",
        sent: 0,
        replied: 0,
        replyRate: null,
        replyRateLowerBound: 0,
        averageRating: null,
        ratingCount: 0,
      },
    ]);
    expect(out.explanation).toBe(
      '"Short nudge" ranks first: 3 replies from 10 sends (30.0%; at least 10.8% with 95% confidence). Templates are ranked on that lower bound, so few sends cannot win on luck.',
    );
    expect(out.factors.map((f) => [f.name, f.impact, f.value])).toEqual([
      ["Short nudge", 0.1078, "3/10 replied"],
      ["Case study", 0.0879, "12/80 replied, rated 5 (1)"],
      ["Intro", 0.0657, "20/200 replied, rated 4 (3)"],
      ["Draft", 0, "0/0 replied, rated 2 (1)"],
      ["New", 0, "0/0 replied"],
    ]);
  });

  it("lets volume beat luck: 1 reply from 3 sends (33%) ranks under 40 from 400 (10%)", () => {
    const out = rankTemplates([
      { templateId: "tpl_lucky", name: "Lucky", sent: 3, replied: 1 },
      { templateId: "tpl_proven", name: "Proven", sent: 400, replied: 40 },
    ]);
    expect(out.result.map((r) => [r.templateId, r.replyRate, r.replyRateLowerBound])).toEqual([
      ["tpl_proven", 0.1, 0.0743],
      ["tpl_lucky", 0.3333, 0.0615],
    ]);
    expect(wilsonLowerBound(0, 0)).toBe(0);
    expect(wilsonLowerBound(10, 10)).toBeCloseTo(0.7225, 4);
  });

  it("refuses impossible counts and ratings", () => {
    expect(() => rankTemplates([{ templateId: "t", name: "T", sent: 3, replied: 4 }])).toThrow(
      "Template t: replied (4) must be a whole number from 0 to sent (3)",
    );
    expect(() => rankTemplates([{ templateId: "t", name: "T", sent: 3, replied: 1, ratings: [6] }])).toThrow(
      "Template t: a rating is 1 to 5 stars, not 6",
    );
    expect(rankTemplates([]).explanation).toBe("No templates to rank.");
  });
});
