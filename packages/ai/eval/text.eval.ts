// Evaluation of the text models on public data. Run: pnpm --filter @crm/ai eval
//   Sentiment across domains: the UCI "Sentiment Labelled Sentences" (Amazon phone reviews and
//   IMDB film reviews): train on one set, test on the other, both ways.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import {
  defaultSentimentModel,
  scoreLexicon,
  sentimentLogOdds,
  tokenize,
  trainLinearModel,
  trainSentimentModel,
  textFeatures,
  linearLogits,
  type LabelledText,
  type LinearModel,
} from "../src";

// The datasets sit beside the checkout (../shared/datasets); DATASETS_DIR overrides that.
const datasets = process.env.DATASETS_DIR
  ? pathToFileURL(process.env.DATASETS_DIR.replace(/\/?$/, "/"))
  : new URL("../../../../shared/datasets/", import.meta.url);

function readSentences(file: string, encoding: "utf-8" | "latin1"): LabelledText[] {
  const url = new URL(`sentiment/${file}`, datasets);
  if (!existsSync(url)) {
    throw new Error(`${url.pathname} is missing: the public datasets are expected at ../shared/datasets beside the repository (or set DATASETS_DIR)`);
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
          (r) => `${r.direction.padEnd(18)} ${pct(r.lexicon).padStart(12)}  ${pct(r.words).padStart(15)}  ${pct(r.combined).padStart(23)}`,
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
