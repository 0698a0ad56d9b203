// Sentiment of a text: the lexicon's reading (sentiment-lexicon.ts) and the words themselves
// as features of a logistic regression, whose log-odds give the score; plus emotions, key
// phrases and urgency. Every result names the words that moved it.
import { builtin, type Explained, type Factor } from "../engine";
import {
  featureContributions,
  linearLogits,
  trainLinearModel,
  type LinearModel,
  type LinearTrainingOptions,
} from "./linear-model";
import shippedModel from "./sentiment-model.json";
import { stopWords } from "./lexicon";
import { scoreLexicon, type LexiconHit, type LexiconScore } from "./sentiment-lexicon";
import {
  detectEmotions,
  detectUrgency,
  extractKeyPhrases,
  round,
  type EmotionScore,
  type KeyPhrase,
  type Urgency,
} from "./signals";
import { textFeatures, tokenize, type Token } from "./tokenize";

export const sentimentLabels = ["very_negative", "negative", "neutral", "positive", "very_positive"] as const;
export type SentimentLabel = (typeof sentimentLabels)[number];

export interface Sentiment {
  label: SentimentLabel;
  /** -1 (most negative) to 1 (most positive): tanh(log-odds / 6): the model, trained on clear-cut review sentences, is sure of itself; the scale keeps "very" for strong wording. */
  score: number;
  emotions: EmotionScore[];
  keyPhrases: KeyPhrase[];
  urgency: Urgency;
}

export const sentimentModelName = "lexicon+logistic-regression";
export const sentimentModelVersion = "1";

/** The lexicon's reading as features: its squashed total and its positive and negative mass. */
export function sentimentFeatures(tokens: readonly Token[], lexicon: LexiconScore = scoreLexicon(tokens)) {
  const features = textFeatures([...tokens]);
  features.set("lex:score", lexicon.normalized);
  features.set("lex:positive", Math.log1p(lexicon.positive));
  features.set("lex:negative", Math.log1p(lexicon.negative));
  return features;
}

/**
 * Training settings: words and bigrams are penalised far more than the lexicon's three
 * features, so the model leans on the lexicon (which holds across domains) and uses the words
 * of its training texts to correct it rather than to replace it.
 */
export const sentimentTrainingOptions: LinearTrainingOptions = {
  l2: 0.01,
  l2ByPrefix: { "lex:": 0.0001, "b:": 0.02 },
  iterations: 300,
  learningRate: 0.05,
  minCount: 2,
  alwaysKeep: ["lex:"],
  pruneBelow: 0.005,
  decimals: 4,
};

export interface LabelledText {
  text: string;
  /** true = positive. */
  positive: boolean;
}

/** Trains the sentiment model's learned half on labelled texts. */
export function trainSentimentModel(
  examples: readonly LabelledText[],
  options: LinearTrainingOptions = sentimentTrainingOptions,
): LinearModel {
  return trainLinearModel(
    examples.map((e) => ({
      features: sentimentFeatures(tokenize(e.text)),
      label: e.positive ? "positive" : "negative",
    })),
    ["negative", "positive"],
    options,
  );
}

/** The model shipped with the engine: trained on public review sentences (see eval/text.eval.ts). */
export const defaultSentimentModel: LinearModel = shippedModel as LinearModel;

/** The positive-vs-negative log-odds, with each feature's share. */
export function sentimentLogOdds(text: string, model: LinearModel = defaultSentimentModel) {
  const tokens = tokenize(text);
  const lexicon = scoreLexicon(tokens);
  const features = sentimentFeatures(tokens, lexicon);
  const positive = model.classes.indexOf("positive");
  const logits = linearLogits(model, features);
  const logOdds = logits[positive]! - logits[1 - positive]!;
  return { tokens, lexicon, features, logOdds, contributions: featureContributions(model, features, positive) };
}

function labelFor(score: number, lexiconHits: number): SentimentLabel {
  // Without a single opinion word, a lean of the learned words alone is not called an opinion.
  const neutralBand = lexiconHits === 0 ? 0.3 : 0.12;
  if (Math.abs(score) < neutralBand) return "neutral";
  if (score <= -0.6) return "very_negative";
  if (score < 0) return "negative";
  if (score >= 0.6) return "very_positive";
  return "positive";
}

export interface SentimentOptions {
  model?: LinearModel;
  /** How many factors to list (strongest first). */
  maxFactors?: number;
}

/** The sentiment of a text (an email, a note, a call transcript), with the words behind it. */
export function analyzeSentiment(text: string, options: SentimentOptions = {}): Explained<Sentiment> {
  const model = options.model ?? defaultSentimentModel;
  const { tokens, lexicon, logOdds, contributions } = sentimentLogOdds(text, model);
  const score = round(Math.tanh(logOdds / 6), 3);
  const label = labelFor(score, lexicon.hits.length);
  const factors = wordFactors(lexicon.hits, contributions).slice(0, options.maxFactors ?? 8);
  const urgency = detectUrgency(text);
  const result: Sentiment = {
    label,
    score,
    emotions: detectEmotions(tokens),
    keyPhrases: extractKeyPhrases(tokens),
    urgency,
  };
  return {
    result,
    explanation: explain(result, factors),
    factors,
    engine: builtin(sentimentModelName, sentimentModelVersion),
  };
}

/**
 * Factors per word or phrase, in log-odds: the lexicon features' share split over the lexicon
 * hits by their weight, plus the learned weight of the word, its negated form and its bigrams.
 */
function wordFactors(
  hits: readonly LexiconHit[],
  contributions: readonly { feature: string; value: number; impact: number }[],
): Factor[] {
  const byName = new Map<string, { impact: number; value: string }>();
  const add = (name: string, impact: number, value: string) => {
    const f = byName.get(name);
    if (f) f.impact += impact;
    else byName.set(name, { impact, value });
  };
  const lexiconImpact = contributions.filter((c) => c.feature.startsWith("lex:")).reduce((s, c) => s + c.impact, 0);
  const totalWeight = hits.reduce((s, h) => s + h.weight, 0);
  for (const h of hits) {
    const name = h.negated ? `not ${h.text}` : h.text;
    const share = totalWeight !== 0 ? (lexiconImpact * h.weight) / totalWeight : 0;
    add(name, share, `lexicon ${h.polarity > 0 ? "+" : ""}${h.polarity}${h.negated ? ", negated" : ""}`);
  }
  for (const c of contributions) {
    if (c.feature.startsWith("lex:")) continue;
    const name = c.feature.slice(2).replace(/^not_/, "not ");
    // Function words nudge the score a little; listing them would bury the words that matter.
    if (Math.abs(c.impact) < 0.25 && name.split(" ").every((w) => stopWords.has(w) || w === "<num>")) continue;
    add(name, c.impact, byName.get(name)?.value ?? "learned");
  }
  return [...byName.entries()]
    .map(([name, f]) => ({ name, impact: round(f.impact, 3), value: f.value }))
    .filter((f) => f.impact !== 0)
    .sort((a, b) => Math.abs(b.impact) - Math.abs(a.impact) || a.name.localeCompare(b.name));
}

const labelWords: Record<SentimentLabel, string> = {
  very_negative: "Very negative",
  negative: "Negative",
  neutral: "Neutral",
  positive: "Positive",
  very_positive: "Very positive",
};

function explain(result: Sentiment, factors: readonly Factor[]): string {
  const direction = result.score >= 0 ? 1 : -1;
  const movers = factors.filter((f) => Math.sign(f.impact) === direction).slice(0, 3);
  const sentences = [
    movers.length > 0
      ? `${labelWords[result.label]} (score ${result.score}): ${movers.map((f) => `"${f.name}"`).join(", ")} ${movers.length === 1 ? "weighs" : "weigh"} most.`
      : `${labelWords[result.label]} (score ${result.score}): no opinion words found.`,
  ];
  if (result.urgency.level !== "low") {
    sentences.push(`Urgency ${result.urgency.level} (${result.urgency.cues.map((c) => c.cue).join(", ")}).`);
  }
  return sentences.join(" ");
}
