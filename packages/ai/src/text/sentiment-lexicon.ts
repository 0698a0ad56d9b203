// The lexicon half of the sentiment model: opinion words and phrases, turned by negation,
// intensifiers, a "but" that shifts the weight to what follows, capitals and exclamation marks.
import { contrastWords, intensifiers, likeAsComparison, polarityPhrases, polarityWords } from "./lexicon";
import { isNegator, lookupForms, type Token } from "./tokenize";

export interface LexiconHit {
  /** The word or phrase as read ("good", "waste of money"). */
  text: string;
  /** Its polarity in the lexicon (-3..3). */
  polarity: number;
  /** What it adds after negation, intensifiers, contrast and emphasis. */
  weight: number;
  negated: boolean;
  /** Index of its first token. */
  at: number;
}

export interface LexiconScore {
  hits: LexiconHit[];
  /** Sum of the positive weights. */
  positive: number;
  /** Sum of the negative weights, as a positive number. */
  negative: number;
  /** positive - negative, squashed into (-1, 1) as VADER does: x / sqrt(x² + 15). */
  normalized: number;
}

/** A negated opinion flips and weakens: "not good" is mildly negative, "not bad" mildly positive. */
const negationFactor = -0.6;
const shoutFactor = 1.3;
const exclamationFactor = 1.2;
const beforeContrast = 0.5;
const afterContrast = 1.5;
const longestPhrase = Math.max(...[...polarityPhrases.keys()].map((p) => p.split(" ").length));

export function polarityOf(word: string): number | undefined {
  for (const form of lookupForms(word)) {
    const p = polarityWords.get(form);
    if (p !== undefined) return p;
  }
  return undefined;
}

function isOpinion(token: Token | undefined): boolean {
  return token !== undefined && token.kind === "word" && polarityOf(token.text) !== undefined;
}

/** Whether the word at i only strengthens or weakens the opinion word after it. */
function actsAsIntensifier(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  if (!intensifiers.has(t.text)) return false;
  if (t.text === "kind" || t.text === "sort") return tokens[i + 1]?.text === "of";
  // "very good", "a bit of a mess", "so very boring": the next word or the one after it.
  return isOpinion(tokens[i + 1]) || (!isOpinion(tokens[i + 1]) && isOpinion(tokens[i + 2]));
}

export function scoreLexicon(tokens: readonly Token[]): LexiconScore {
  const hits: LexiconHit[] = [];
  let sentenceStart = 0;
  for (let i = 0; i <= tokens.length; i++) {
    const t = tokens[i];
    if (t === undefined || (t.kind === "punct" && /[.!?;]/.test(t.text))) {
      scoreSentence(tokens, sentenceStart, i, hits);
      sentenceStart = i + 1;
    }
  }
  let positive = 0;
  let negative = 0;
  for (const h of hits) {
    if (h.weight > 0) positive += h.weight;
    else negative -= h.weight;
  }
  const total = positive - negative;
  return { hits, positive, negative, normalized: total / Math.sqrt(total * total + 15) };
}

function scoreSentence(tokens: readonly Token[], start: number, end: number, hits: LexiconHit[]): void {
  const sentenceHits: LexiconHit[] = [];
  let contrastAt = -1;
  for (let i = start; i < end; i++) {
    const t = tokens[i]!;
    if (t.kind === "punct") continue;
    if (contrastWords.has(t.text)) {
      contrastAt = i;
      continue;
    }
    // The longest phrase starting here, else the word itself.
    let length = 0;
    let polarity: number | undefined;
    for (let n = Math.min(longestPhrase, end - i); n >= 2; n--) {
      const span = tokens.slice(i, i + n);
      if (span.some((s) => s.kind === "punct")) continue;
      const p = polarityPhrases.get(span.map((s) => s.text).join(" "));
      if (p !== undefined) {
        length = n;
        polarity = p;
        break;
      }
    }
    if (polarity === undefined) {
      if (t.kind !== "word" || actsAsIntensifier(tokens, i)) continue;
      if (t.text === "like" && i > start && likeAsComparison.has(tokens[i - 1]!.text)) continue;
      polarity = polarityOf(t.text);
      if (polarity === undefined) continue;
      length = 1;
    }
    // A phrase that carries its own negation ("not worth it") is not negated again.
    const negated = t.negated && !(length > 1 && isNegator(t.text));
    let weight = polarity * (negated ? negationFactor : 1);
    for (let j = i - 1; j >= Math.max(start, i - 3); j--) {
      const before = tokens[j]!;
      if (before.kind === "punct" || isOpinion(before)) break;
      const m = intensifiers.get(before.text);
      if (m !== undefined && actsAsIntensifier(tokens, j)) weight *= m;
    }
    if (tokens.slice(i, i + length).some((s) => s.shouted)) weight *= shoutFactor;
    const text = tokens
      .slice(i, i + length)
      .map((s) => s.text)
      .join(" ");
    sentenceHits.push({ text, polarity, weight, negated, at: i });
    i += length - 1;
  }
  const exclaimed = tokens[end]?.text === "!";
  for (const h of sentenceHits) {
    if (contrastAt >= 0) h.weight *= h.at < contrastAt ? beforeContrast : afterContrast;
    if (exclaimed) h.weight *= exclamationFactor;
    hits.push(h);
  }
}
