import { describe, expect, it } from "vitest";
import {
  analyzeSentiment,
  detectEmotions,
  detectUrgency,
  extractKeyPhrases,
  scoreLexicon,
  sentimentLogOdds,
  tokenize,
  trainSentimentModel,
} from "../../src";

const hits = (text: string) => scoreLexicon(tokenize(text)).hits.map((h) => [h.text, h.weight, h.negated]);

describe("the sentiment lexicon", () => {
  it("strengthens with intensifiers and flips and weakens under negation", () => {
    expect(hits("very good")).toEqual([["good", 2 * 1.4, false]]);
    expect(hits("not helpful")).toEqual([["helpful", 2 * -0.6, true]]);
    expect(hits("not very helpful")).toEqual([["helpful", 2 * -0.6 * 1.4, true]]);
    expect(hits("not good")).toEqual([["not good", -2, false]]);
    expect(hits("slightly annoying")).toEqual([["annoying", -2 * 0.5, false]]);
  });

  it("weighs the clause after 'but' over the one before", () => {
    expect(hits("The screen is good but the battery is terrible.")).toEqual([
      ["good", 2 * 0.5, false],
      ["terrible", -3 * 1.5, false],
    ]);
  });

  it("reads phrases before words, and a phrase's own negation once", () => {
    expect(hits("A waste of money")).toEqual([["waste of money", -3, false]]);
    expect(hits("It is not worth it")).toEqual([["not worth it", -3, false]]);
    expect(hits("It stopped working")).toEqual([["stopped working", -3, false]]);
  });

  it("amplifies capitals and exclamation marks, and skips 'like' used as a comparison", () => {
    expect(hits("It looks like a toy. GREAT!")).toEqual([["great", 2 * 1.3 * 1.2, false]]);
  });

  it("squashes the total into (-1, 1)", () => {
    const s = scoreLexicon(tokenize("excellent"));
    expect([s.positive, s.negative, s.normalized]).toEqual([3, 0, 3 / Math.sqrt(9 + 15)]);
  });
});

describe("emotions, key phrases and urgency", () => {
  it("names each emotion with its cue words; negated words signal nothing", () => {
    expect(detectEmotions(tokenize("I'm worried and frustrated, not happy."))).toEqual([
      { emotion: "fear", intensity: 0.5, cues: ["worried"] },
      { emotion: "anger", intensity: 0.5, cues: ["frustrated"] },
    ]);
    expect(detectEmotions(tokenize("Thrilled and delighted, we love it"))).toEqual([
      { emotion: "joy", intensity: 0.875, cues: ["thrilled", "delighted", "love"] },
    ]);
  });

  it("extracts topic phrases, not opinion words", () => {
    expect(extractKeyPhrases(tokenize("The battery life is great but customer service was slow."))).toEqual([
      { phrase: "battery life", score: 4 },
      { phrase: "customer service", score: 4 },
    ]);
  });

  it("rates urgency from cue words, and a 'no rush' lowers it", () => {
    expect(detectUrgency("Please fix this ASAP, the deadline is Friday")).toEqual({
      level: "high",
      score: 5,
      cues: [
        { cue: "as soon as possible", weight: 3 },
        { cue: "deadline", weight: 2 },
      ],
    });
    expect(detectUrgency("Can you send it by Friday?")).toEqual({
      level: "medium",
      score: 1.5,
      cues: [{ cue: "a near date", weight: 1.5 }],
    });
    expect(detectUrgency("No rush, send it by Friday.").level).toBe("low");
    expect(detectUrgency("Thanks for the notes.")).toEqual({ level: "low", score: 0, cues: [] });
  });
});

describe("analyzeSentiment (shipped model)", () => {
  it("labels a clearly positive message very positive, naming the words", () => {
    const out = analyzeSentiment("I love this product, it works great!");
    expect(out.result.label).toBe("very_positive");
    expect(out.result.score).toBe(0.69);
    expect(out.factors.slice(0, 2).map((f) => [f.name, f.value])).toEqual([
      ["works great", "lexicon +3"],
      ["love this", "lexicon +3"],
    ]);
    expect(out.explanation).toBe('Very positive (score 0.69): "works great", "love this", "great" weigh most.');
    expect(out.engine).toEqual({ engine: "builtin", model: "lexicon+logistic-regression", version: "1" });
  });

  it("reads negation: 'not helpful' negative, 'not bad' positive", () => {
    const notHelpful = analyzeSentiment("The service was not very helpful.");
    expect([notHelpful.result.label, notHelpful.result.score]).toEqual(["negative", -0.531]);
    expect(notHelpful.factors[0]).toEqual({ name: "not helpful", impact: -2.461, value: "lexicon +2, negated" });
    const notBad = analyzeSentiment("This is not bad.");
    expect([notBad.result.label, notBad.result.score]).toEqual(["positive", 0.153]);
    expect(notBad.explanation).toBe('Positive (score 0.153): "not bad" weighs most.');
  });

  it("calls a factual sentence neutral", () => {
    const out = analyzeSentiment("The meeting is at 3pm on Tuesday.");
    expect(out.result.label).toBe("neutral");
    expect(out.explanation).toMatch(/^Neutral \(score -?0\.\d+\): no opinion words found\.$/);
  });

  it("reports a complaint with its urgency and emotions", () => {
    const out = analyzeSentiment("Absolutely terrible support. I am furious and want a refund ASAP!");
    expect(out.result.label).toBe("very_negative");
    expect(out.result.urgency.level).toBe("high");
    expect(out.result.emotions.map((e) => e.emotion)).toEqual(["anger"]);
    expect(out.result.score).toBe(-0.772);
    expect(out.factors.slice(0, 3)).toEqual([
      { name: "terrible", impact: -2.852, value: "lexicon -3" },
      { name: "furious", impact: -1.98, value: "lexicon -3" },
      { name: "refund", impact: -1.32, value: "lexicon -2" },
    ]);
    expect(out.explanation).toContain("Urgency high (as soon as possible).");
  });

  it("splits the log-odds exactly into the features' shares", () => {
    const { logOdds, contributions } = sentimentLogOdds("Great phone but the battery died after two days.");
    const intercept = sentimentLogOdds("").logOdds; // no features: the intercepts alone
    expect(contributions.reduce((s, c) => s + c.impact, intercept)).toBeCloseTo(logOdds, 10);
    expect(logOdds).toBeLessThan(0);
  });
});

describe("trainSentimentModel", () => {
  it("learns domain words and is deterministic", () => {
    const examples = [
      { text: "the plot was gripping", positive: true },
      { text: "the plot was a snooze", positive: false },
      { text: "what a snooze", positive: false },
      { text: "gripping from start to end", positive: true },
    ];
    const a = trainSentimentModel(examples);
    expect(trainSentimentModel(examples)).toEqual(a);
    expect(sentimentLogOdds("a snooze", a).logOdds).toBeLessThan(0);
    expect(a.weights["w:snooze"]![0]).toBeGreaterThan(a.weights["w:snooze"]![1]!);
  });
});
