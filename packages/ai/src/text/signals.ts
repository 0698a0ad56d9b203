// Signals read from a text besides its polarity: emotions, key phrases and urgency.
import {
  emotionNames,
  emotionWords,
  intensifiers,
  polarityWords,
  stopWords,
  urgencyCues,
  type Emotion,
} from "./lexicon";
import { lookupForms, normalizeText, type Token } from "./tokenize";

export interface EmotionScore {
  emotion: Emotion;
  /** 0-1: 1 - 0.5^(cue words), so one cue is 0.5, two 0.75, three 0.875. */
  intensity: number;
  /** The words that signalled it. */
  cues: string[];
}

/** Emotions signalled by their words (a negated word, as in "not happy", signals nothing). */
export function detectEmotions(tokens: readonly Token[]): EmotionScore[] {
  const found = new Map<Emotion, string[]>();
  for (const t of tokens) {
    if (t.kind !== "word" || t.negated) continue;
    for (const emotion of emotionNames) {
      if (lookupForms(t.text).some((f) => emotionWords[emotion].has(f))) {
        const cues = found.get(emotion) ?? [];
        if (!cues.includes(t.text)) cues.push(t.text);
        found.set(emotion, cues);
      }
    }
  }
  return [...found.entries()]
    .map(([emotion, cues]) => ({ emotion, intensity: round(1 - 0.5 ** cues.length, 3), cues }))
    .sort((a, b) => b.intensity - a.intensity || emotionNames.indexOf(a.emotion) - emotionNames.indexOf(b.emotion));
}

export interface KeyPhrase {
  phrase: string;
  /** RAKE score: the sum of its words' degree / frequency. */
  score: number;
}

/**
 * Key phrases by RAKE (Rose et al., 2010): runs of content words between stop words and
 * punctuation, scored by how much their words co-occur; opinion words alone are not topics.
 */
export function extractKeyPhrases(tokens: readonly Token[], limit = 5): KeyPhrase[] {
  const candidates: string[][] = [];
  let current: string[] = [];
  const flush = () => {
    while (current.length > 0 && intensifiers.has(current[0]!)) current.shift();
    if (current.length > 0 && current.length <= 4) candidates.push(current);
    current = [];
  };
  for (const t of tokens) {
    if (t.kind !== "word" || stopWords.has(t.text) || t.text.length < 2) flush();
    else current.push(t.text);
  }
  flush();
  const frequency = new Map<string, number>();
  const degree = new Map<string, number>();
  for (const phrase of candidates) {
    for (const w of phrase) {
      frequency.set(w, (frequency.get(w) ?? 0) + 1);
      degree.set(w, (degree.get(w) ?? 0) + phrase.length);
    }
  }
  const seen = new Set<string>();
  const phrases: KeyPhrase[] = [];
  for (const phrase of candidates) {
    const text = phrase.join(" ");
    if (seen.has(text)) continue;
    seen.add(text);
    if (phrase.length === 1 && (phrase[0]!.length < 3 || polarityWords.has(phrase[0]!))) continue;
    const score = phrase.reduce((s, w) => s + degree.get(w)! / frequency.get(w)!, 0);
    phrases.push({ phrase: text, score: round(score, 3) });
  }
  // Stable: equal scores keep the order they appear in.
  return phrases.sort((a, b) => b.score - a.score).slice(0, limit);
}

export type UrgencyLevel = "low" | "medium" | "high";

export interface Urgency {
  level: UrgencyLevel;
  /** The sum of the cue weights (a "no rush" subtracts). */
  score: number;
  cues: { cue: string; weight: number }[];
}

/** Urgency from cue words: high from 3 points ("urgent", "asap"), medium from 1.5. */
export function detectUrgency(text: string): Urgency {
  const normalized = normalizeText(text).toLowerCase();
  const cues = urgencyCues.filter((c) => c.pattern.test(normalized)).map((c) => ({ cue: c.label, weight: c.weight }));
  const score = round(
    cues.reduce((s, c) => s + c.weight, 0),
    2,
  );
  const level: UrgencyLevel = score >= 3 ? "high" : score >= 1.5 ? "medium" : "low";
  return { level, score, cues };
}

export function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f + 0; // + 0 turns -0 into 0
}
