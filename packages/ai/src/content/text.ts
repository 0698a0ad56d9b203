// Plain-text helpers shared by the content rules: lengths in characters a person counts (code
// points, so an emoji is never cut in half), sentence splitting and word-boundary truncation.

/** Length in code points (what an SMS counter and a person count), not UTF-16 units. */
export function characterCount(text: string): number {
  return [...text].length;
}

/** Sentences of one paragraph; the end punctuation stays with its sentence. */
export function splitSentences(paragraph: string): string[] {
  const flat = paragraph.replace(/\s*\n\s*/g, " ").trim();
  if (flat === "") return [];
  return flat.split(/(?<=[.!?])\s+(?=["'(\d\p{Lu}])/u).map((s) => s.trim());
}

/** Capitalises the first letter of each sentence (after a removed word left it lower case). */
export function capitaliseSentences(text: string): string {
  return text.replace(/(^|[.!?]\s+)(\p{Ll})/gu, (_m, before: string, letter: string) => before + letter.toUpperCase());
}

export interface Truncated {
  text: string;
  truncated: boolean;
}

/**
 * `text` cut to at most `limit` characters. A cut at a sentence end is preferred when it keeps at
 * least 60% of the limit (nothing is left dangling); otherwise the cut falls on the last word
 * boundary, trailing connectives ("and", "the") go, and `ellipsis` marks it. Only a single
 * word longer than the limit is cut mid-word.
 */
export function truncateAtWord(text: string, limit: number, ellipsis = "..."): Truncated {
  const chars = [...text];
  if (chars.length <= limit) return { text, truncated: false };
  const head = chars.slice(0, limit).join("");
  const sentenceEnd = Math.max(...[". ", "! ", "? ", ".\n", "!\n", "?\n"].map((end) => head.lastIndexOf(end)));
  if (sentenceEnd !== -1 && characterCount(head.slice(0, sentenceEnd + 1)) >= limit * 0.6) {
    return { text: head.slice(0, sentenceEnd + 1), truncated: true };
  }
  const room = chars
    .slice(0, limit - characterCount(ellipsis))
    .join("")
    .replace(/\s+$/, "");
  // The cut is on a boundary when the next character of the original is a space.
  const next = chars[characterCount(room)];
  const atBoundary = next === undefined || /\s/.test(next);
  const space = room.search(/\s\S*$/);
  const kept = atBoundary ? room : space > 0 ? room.slice(0, space) : room;
  // "... for your whole team and..." reads as broken: a trailing connective goes too.
  const strip = (t: string) =>
    t.replace(/[\s,;:\-–—]+(and|or|but|the|a|an|to|of|for|with|on|in|at|&)$/i, "").replace(/[\s,;:\-–—]+$/, "");
  let end = kept.replace(/[\s,;:\-–—]+$/, "");
  for (let shorter = strip(end); shorter !== end && shorter !== ""; shorter = strip(end)) end = shorter;
  return { text: end + ellipsis, truncated: true };
}

/**
 * Upper-cases the first letter of `replacement` when the text it replaces started with one
 * ("Do not" → "Don't"); an acronym in capitals ("ASAP") says nothing about the sentence, so its
 * replacement keeps its own case.
 */
export function matchCase(original: string, replacement: string): string {
  const first = original.charAt(0);
  const acronym = original.length > 1 && original === original.toUpperCase() && /\p{L}{2}/u.test(original);
  if (!acronym && first !== first.toLowerCase() && replacement.length > 0) {
    return replacement.charAt(0).toUpperCase() + replacement.slice(1);
  }
  return replacement;
}
