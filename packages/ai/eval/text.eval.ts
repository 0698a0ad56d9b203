// Evaluation of the text models on public data. Run: pnpm --filter @crm/ai eval
//   Sentiment across domains: the UCI "Sentiment Labelled Sentences" (Amazon phone reviews and
//   IMDB film reviews): train on one set, test on the other, both ways.
//   Reply classes: the replies labelled by hand in eval/replies.json, with a held-out part.
// The shipped models (src/text/*-model.json) are checked to be what training here produces;
// WRITE_SENTIMENT_MODEL=1 / WRITE_REPLY_MODEL=1 rewrite them (then run prettier on them).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
// The inbound email handler's rule classifier, for comparison only (the eval is not shipped).
import { classifyReply as classifyReplyByRules } from "../../outreach/src/reply-classification";
import { describe, expect, it } from "vitest";
import {
  classifyReplyIntent,
  defaultReplyModel,
  defaultSentimentModel,
  matchReplyCues,
  replyClassNames,
  replyOwnText,
  trainReplyModel,
  type LabelledReply,
  scoreLexicon,
  sentimentLogOdds,
  tokenize,
  trainSentimentModel,
  textFeatures,
  type LabelledText,
  type LinearModel,
} from "../src";
import { linearLogits, trainLinearModel } from "../src/text/linear-model";

// The datasets sit beside the checkout (../shared/datasets); DATASETS_DIR overrides that.
const datasets = process.env.DATASETS_DIR
  ? pathToFileURL(process.env.DATASETS_DIR.replace(/\/?$/, "/"))
  : new URL("../../../../shared/datasets/", import.meta.url);

function readSentences(file: string, encoding: "utf-8" | "latin1"): LabelledText[] {
  const url = new URL(`sentiment/${file}`, datasets);
  if (!existsSync(url)) {
    throw new Error(
      `${url.pathname} is missing: the public datasets are expected at ../shared/datasets beside the repository (or set DATASETS_DIR)`,
    );
  }
  return new TextDecoder(encoding)
    .decode(readFileSync(url))
    .split(/\r?\n/)
    .map((line) => line.match(/^(.*)\t\s*([01])\s*$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ text: m[1]!.trim(), positive: m[2] === "1" }));
}

function accuracy(examples: readonly LabelledText[], predictPositive: (text: string) => boolean): number {
  return examples.filter((e) => predictPositive(e.text) === e.positive).length / examples.length;
}

function trainWordsOnly(examples: readonly LabelledText[]): LinearModel {
  return trainLinearModel(
    examples.map((e) => ({ features: textFeatures(tokenize(e.text)), label: e.positive ? "positive" : "negative" })),
    ["negative", "positive"],
    { l2: 0.01, l2ByPrefix: { "b:": 0.02 }, iterations: 300, learningRate: 0.05, minCount: 2 },
  );
}

const pct = (x: number) => (100 * x).toFixed(1) + "%";

describe("sentiment across domains", () => {
  const amazon = readSentences("amazon_cells_labelled.txt", "utf-8");
  const imdb = readSentences("imdb_labelled.txt", "latin1");

  it("reads both sets whole", () => {
    expect([amazon.length, imdb.length]).toEqual([1000, 1000 - 10]);
  });

  it("reaches 0.82 accuracy trained on one set and tested on the other", () => {
    const rows: { direction: string; lexicon: number; words: number; combined: number }[] = [];
    for (const [trainName, train, testName, test] of [
      ["amazon", amazon, "imdb", imdb],
      ["imdb", imdb, "amazon", amazon],
    ] as const) {
      const model = trainSentimentModel(train);
      const wordsOnly = trainWordsOnly(train);
      rows.push({
        direction: `${trainName} → ${testName}`,
        lexicon: accuracy(test, (t) => scoreLexicon(tokenize(t)).normalized > 0),
        words: accuracy(test, (t) => {
          const z = linearLogits(wordsOnly, textFeatures(tokenize(t)));
          return z[1]! > z[0]!;
        }),
        combined: accuracy(test, (t) => sentimentLogOdds(t, model).logOdds > 0),
      });
    }
    const mean = (k: "lexicon" | "words" | "combined") => rows.reduce((s, r) => s + r[k], 0) / rows.length;
    console.log(
      [
        "Sentiment, trained on one set, tested on the other (accuracy)",
        "direction          lexicon only  words only (LR)  built-in (lexicon + LR)",
        ...rows.map(
          (r) =>
            `${r.direction.padEnd(18)} ${pct(r.lexicon).padStart(12)}  ${pct(r.words).padStart(15)}  ${pct(r.combined).padStart(23)}`,
        ),
        `${"mean".padEnd(18)} ${pct(mean("lexicon")).padStart(12)}  ${pct(mean("words")).padStart(15)}  ${pct(mean("combined")).padStart(23)}`,
      ].join("\n"),
    );
    expect(mean("combined")).toBeGreaterThanOrEqual(0.82);
  });
});

describe("the shipped sentiment model", () => {
  it("is the model trained on both sets (WRITE_SENTIMENT_MODEL=1 rewrites it)", () => {
    const both = [
      ...readSentences("amazon_cells_labelled.txt", "utf-8"),
      ...readSentences("imdb_labelled.txt", "latin1"),
    ];
    const trained = trainSentimentModel(both);
    const file = new URL("../src/text/sentiment-model.json", import.meta.url);
    if (process.env.WRITE_SENTIMENT_MODEL === "1") writeFileSync(file, JSON.stringify(trained) + "\n");
    const stored = JSON.parse(readFileSync(file, "utf-8")) as LinearModel;
    console.log(
      `Shipped sentiment model: ${Object.keys(stored.weights).length} features, ${readFileSync(file).length} bytes; ` +
        `accuracy on its own training sentences ${pct(accuracy(both, (t) => sentimentLogOdds(t, stored).logOdds > 0))}`,
    );
    expect(stored).toEqual(trained);
    expect(defaultSentimentModel).toEqual(stored);
  });
});

// Reply classification: the labelled replies written for this project (eval/replies.json).
// A seeded, stratified 30% is held out; the model trains on the rest. 5-fold cross-validation
// over the whole set gives a steadier per-class figure.
function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Each class's examples shuffled and dealt into `folds` parts, so every part has every class. */
function stratifiedFolds<T extends { label: string }>(items: readonly T[], folds: number, seed: number): T[][] {
  const parts: T[][] = Array.from({ length: folds }, () => []);
  const labels = [...new Set(items.map((i) => i.label))].sort();
  let dealt = 0;
  for (const label of labels) {
    for (const item of seededShuffle(
      items.filter((i) => i.label === label),
      seed,
    )) {
      parts[dealt % folds]!.push(item);
      dealt++;
    }
  }
  return parts;
}

const replies = JSON.parse(readFileSync(new URL("./replies.json", import.meta.url), "utf-8")) as (LabelledReply & {
  id: string;
})[];
// Replies arrived on a Monday, so "back Thursday" and year-less dates resolve.
const receivedAt = "2026-03-02T09:00:00Z";

function perClass(test: readonly LabelledReply[], predict: (r: LabelledReply) => string) {
  const rows = replyClassNames.map((c) => {
    const ofClass = test.filter((r) => r.label === c);
    return { className: c, n: ofClass.length, correct: ofClass.filter((r) => predict(r) === c).length };
  });
  const correct = rows.reduce((s, r) => s + r.correct, 0);
  return { rows, accuracy: correct / test.length };
}

function cueOnly(r: LabelledReply): string {
  const scores = new Map<string, number>();
  for (const c of matchReplyCues({
    from: r.from ?? "",
    subject: r.subject ?? "",
    body: replyOwnText(r.text ?? ""),
    headers: "",
  })) {
    scores.set(c.className, (scores.get(c.className) ?? 0) + c.weight);
  }
  return [...scores.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "none";
}

describe("reply classification", () => {
  it("has 150+ labelled replies, every class represented", () => {
    expect(replies.length).toBeGreaterThanOrEqual(150);
    for (const c of replyClassNames) expect(replies.filter((r) => r.label === c).length).toBeGreaterThanOrEqual(20);
  });

  it("classifies held-out replies", () => {
    const folds = stratifiedFolds(replies, 10, 7);
    const heldOut = folds.slice(0, 3).flat();
    const train = folds.slice(3).flat();
    const model = trainReplyModel(train);
    const holdout = perClass(
      heldOut,
      (r) => classifyReplyIntent({ ...r, receivedAt }, { model }).result.classification,
    );
    const cues = perClass(heldOut, cueOnly);
    // The rule classifier names the same situations a little differently.
    const ruleNames: Record<string, string> = { unsubscribe: "unsubscribe_request", bounce: "bounce_auto_reply" };
    const rules = perClass(heldOut, (r) => {
      const c = classifyReplyByRules(r).classification;
      return ruleNames[c] ?? c;
    });
    const missed = heldOut
      .map((r) => ({ r, got: classifyReplyIntent({ ...r, receivedAt }, { model }).result.classification }))
      .filter((x) => x.got !== x.r.label)
      .map((x) => `${(x.r as { id?: string }).id} ${x.r.label} → ${x.got}`);

    const cv = stratifiedFolds(replies, 5, 11);
    const cvRows = replyClassNames.map((c) => ({ className: c, n: 0, correct: 0 }));
    for (let k = 0; k < cv.length; k++) {
      const foldModel = trainReplyModel(cv.filter((_, i) => i !== k).flat());
      for (const r of cv[k]!) {
        const row = cvRows.find((x) => x.className === r.label)!;
        row.n++;
        if (classifyReplyIntent({ ...r, receivedAt }, { model: foldModel }).result.classification === r.label)
          row.correct++;
      }
    }
    const cvAccuracy = cvRows.reduce((s, r) => s + r.correct, 0) / replies.length;
    console.log(
      [
        `Reply classes: ${train.length} training replies, ${heldOut.length} held out (stratified, seeded)`,
        "class                 held-out (built-in)  held-out (cues only)  held-out (outreach rules)  5-fold CV (built-in)",
        ...replyClassNames.map((c, i) => {
          const h = holdout.rows[i]!;
          const q = cues.rows[i]!;
          const o = rules.rows[i]!;
          const v = cvRows[i]!;
          return `${c.padEnd(21)} ${`${h.correct}/${h.n}`.padStart(19)}  ${`${q.correct}/${q.n}`.padStart(20)}  ${`${o.correct}/${o.n}`.padStart(25)}  ${`${v.correct}/${v.n}`.padStart(20)}`;
        }),
        `${"accuracy".padEnd(21)} ${pct(holdout.accuracy).padStart(19)}  ${pct(cues.accuracy).padStart(20)}  ${pct(rules.accuracy).padStart(25)}  ${pct(cvAccuracy).padStart(20)}`,
        `held-out misses: ${missed.join("; ") || "none"}`,
      ].join("\n"),
    );
    expect(holdout.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(cvAccuracy).toBeGreaterThanOrEqual(0.85);
  });

  it("ships the model trained on every labelled reply (WRITE_REPLY_MODEL=1 rewrites it)", () => {
    const trained = trainReplyModel(replies);
    const file = new URL("../src/text/reply-model.json", import.meta.url);
    if (process.env.WRITE_REPLY_MODEL === "1") writeFileSync(file, JSON.stringify(trained) + "\n");
    const stored = JSON.parse(readFileSync(file, "utf-8")) as LinearModel;
    expect(stored).toEqual(trained);
    expect(defaultReplyModel).toEqual(stored);
  });
});
