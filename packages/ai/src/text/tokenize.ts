// Tokens and features shared by the text models (sentiment and reply classes): lowercase words
// with contractions kept whole, punctuation kept as clause breaks, negation scope marked on the
// words it covers ("not good" → "not_good"), bigrams, and a light suffix stemmer.

export interface Token {
  /** Lowercase form ("don't", "great", "!"). */
  text: string;
  kind: "word" | "number" | "punct";
  /** Written in capitals in the source ("GREAT"), a sign of emphasis. */
  shouted: boolean;
  /** Inside the scope of a preceding negator ("good" in "not very good"). */
  negated: boolean;
}

// Apostrophe-less spellings people type, mapped to the forms the lexicons use.
const contractionFixes: Record<string, string> = {
  dont: "don't",
  doesnt: "doesn't",
  didnt: "didn't",
  isnt: "isn't",
  arent: "aren't",
  wasnt: "wasn't",
  werent: "weren't",
  wont: "won't",
  wouldnt: "wouldn't",
  cant: "can't",
  couldnt: "couldn't",
  shouldnt: "shouldn't",
  havent: "haven't",
  hasnt: "hasn't",
  hadnt: "hadn't",
  aint: "ain't",
  im: "i'm",
  ive: "i've",
  id: "i'd",
};

const negators = new Set([
  "not",
  "no",
  "never",
  "none",
  "nobody",
  "nothing",
  "neither",
  "nor",
  "without",
  "hardly",
  "barely",
  "cannot",
]);

/** Words that end a negation's scope without punctuation ("not fast but good"). */
const scopeBreakers = new Set(["but", "however", "although", "though", "yet", "except", "and"]);

/** How many words a negator reaches at most ("not at all what I wanted" stops before "wanted"). */
const negationReach = 3;

export function isNegator(word: string): boolean {
  return negators.has(word) || word.endsWith("n't");
}

/** Lowercase, straight quotes, letters folded to ASCII where they have an ASCII base ("café" → "cafe"). */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, " - ");
}

const tokenPattern = /[A-Za-z]+(?:'[A-Za-z]+)*|[0-9]+(?:[.,:][0-9]+)*|[!?.;:,()]/g;

/** The text's tokens, with negation scope marked. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let scopeLeft = 0;
  for (const match of normalizeText(text).matchAll(tokenPattern)) {
    const raw = match[0];
    const lower = raw.toLowerCase();
    if (/^[!?.;:,()]$/.test(raw)) {
      tokens.push({ text: raw, kind: "punct", shouted: false, negated: false });
      scopeLeft = 0;
      continue;
    }
    if (/^[0-9]/.test(raw)) {
      tokens.push({ text: lower, kind: "number", shouted: false, negated: scopeLeft > 0 });
      if (scopeLeft > 0) scopeLeft--;
      continue;
    }
    const word = contractionFixes[lower] ?? lower.replace(/^'+|'+$/g, "");
    const shouted = raw.length >= 3 && raw === raw.toUpperCase() && /[A-Z]/.test(raw);
    if (scopeBreakers.has(word)) scopeLeft = 0;
    const negated = scopeLeft > 0;
    tokens.push({ text: word, kind: "word", shouted, negated });
    if (negated) scopeLeft--;
    if (isNegator(word)) scopeLeft = negationReach;
  }
  // A text written wholly in capitals is not emphasis word by word.
  const words = tokens.filter((t) => t.kind === "word");
  if (words.length > 2 && words.every((t) => t.shouted || t.text.length < 3)) {
    for (const t of words) t.shouted = false;
  }
  return tokens;
}

/** The word tokens' lowercase forms. */
export function words(text: string): string[] {
  return tokenize(text)
    .filter((t) => t.kind === "word")
    .map((t) => t.text);
}

/**
 * A light suffix stemmer (plurals, -ed, -ing, -ly), enough to map "disappointing" and
 * "disappointed" to one stem; it never shortens a word below three letters.
 */
export function stem(word: string): string {
  let w = word.replace(/'s$/, "");
  if (w.length <= 3) return w;
  const strip = (suffix: string, replacement = ""): boolean => {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, w.length - suffix.length) + replacement;
      return true;
    }
    return false;
  };
  if (!strip("sses", "ss") && !strip("ies", "y") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) {
    strip("s");
  }
  if (strip("ingly") || strip("edly") || strip("ing") || strip("ed")) {
    // "stopped" → "stop", "hoping" stays "hop" (stems only need to be consistent, not words).
    if (/([bdfgmnprt])\1$/.test(w)) w = w.slice(0, -1);
  } else {
    strip("ly");
  }
  return w;
}

/** Word forms to try in a lexicon, most specific first ("loved" → loved, love, lov). */
export function lookupForms(word: string): string[] {
  const forms = [word];
  const add = (f: string) => {
    if (f.length >= 3 && !forms.includes(f)) forms.push(f);
  };
  for (const [suffix, replacements] of [
    ["ies", ["y"]],
    ["es", ["", "e"]],
    ["s", [""]],
    ["ed", ["", "e"]],
    ["ing", ["", "e"]],
    ["ly", [""]],
    ["ily", ["y"]],
  ] as const) {
    if (word.endsWith(suffix)) {
      const base = word.slice(0, word.length - suffix.length);
      for (const r of replacements) add(base + r);
      if (/([bdfgmnprt])\1$/.test(base)) add(base.slice(0, -1));
    }
  }
  return forms;
}

/**
 * Sparse binary features for a learned model: `w:` words (negated ones as `w:not_<word>`) and
 * `b:` bigrams of adjacent words within a clause.
 */
export function textFeatures(tokens: Token[]): Map<string, number> {
  const features = new Map<string, number>();
  let previous: string | null = null;
  for (const t of tokens) {
    if (t.kind === "punct") {
      previous = null;
      continue;
    }
    const form = t.kind === "number" ? "<num>" : t.text;
    features.set(`w:${t.negated ? "not_" : ""}${form}`, 1);
    if (previous !== null) features.set(`b:${previous} ${form}`, 1);
    previous = form;
  }
  return features;
}
