// Sentence-level rewriting rules of the built-in content engine. Every rule records what it
// changed, so the result can say why it reads differently from its input.
import { capitaliseSentences, matchCase } from "./text";

export const contentTones = ["professional", "friendly", "casual", "formal"] as const;
export type ContentTone = (typeof contentTones)[number];

/** One edit a rule made: the rule's name as a person reads it, and the words before and after. */
export interface ContentChange {
  rule: string;
  from: string;
  to: string;
}

export interface Rewritten {
  text: string;
  changes: ContentChange[];
}

interface Replacement {
  pattern: RegExp;
  to: string | ((match: string) => string);
}

function applyReplacements(text: string, rule: string, replacements: Replacement[], changes: ContentChange[]): string {
  let out = text;
  for (const { pattern, to } of replacements) {
    out = out.replace(pattern, (match: string) => {
      const replaced = matchCase(match, typeof to === "string" ? to : to(match));
      if (replaced !== match) changes.push({ rule, from: match, to: replaced });
      return replaced;
    });
  }
  return out;
}

const words = (phrase: string) => phrase.replace(/ /g, "\\s+");

// ---- contractions ----------------------------------------------------------------------------

/** [full form, contraction]. "let us" is left out on purpose: "let us know" is not "let's know". */
const contractionPairs: [string, string][] = [
  ["I am", "I'm"],
  ["I will", "I'll"],
  ["I would", "I'd"],
  ["you are", "you're"],
  ["you will", "you'll"],
  ["we are", "we're"],
  ["we will", "we'll"],
  ["they are", "they're"],
  ["it is", "it's"],
  ["that is", "that's"],
  ["there is", "there's"],
  ["what is", "what's"],
  ["do not", "don't"],
  ["does not", "doesn't"],
  ["did not", "didn't"],
  ["is not", "isn't"],
  ["are not", "aren't"],
  ["was not", "wasn't"],
  ["were not", "weren't"],
  ["have not", "haven't"],
  ["has not", "hasn't"],
  ["will not", "won't"],
  ["cannot", "can't"],
  ["would not", "wouldn't"],
  ["could not", "couldn't"],
  ["should not", "shouldn't"],
];

/**
 * Casual and friendly text contracts "do not" to "don't". A full form at the end of a clause
 * ("here it is.") stays: contracting it there is not English.
 */
const contract: Replacement[] = contractionPairs.map(([full, short]) => ({
  pattern: new RegExp(`\\b${words(full)}\\b(?=\\s+[\\p{L}\\d])`, "giu"),
  to: short,
}));

const apostrophe = "['’]";
/** Formal text spells every contraction out; the irregular ones first. */
const expand: Replacement[] = [
  { pattern: new RegExp(`\\bwon${apostrophe}t\\b`, "gi"), to: "will not" },
  { pattern: new RegExp(`\\bcan${apostrophe}t\\b`, "gi"), to: "cannot" },
  { pattern: new RegExp(`\\blet${apostrophe}s\\b`, "gi"), to: "let us" },
  // "it's been" is "it has been"; otherwise 's after a pronoun is "is".
  {
    pattern: new RegExp(`\\b(it|that|there|what|who|he|she)${apostrophe}s(?=\\s+been\\b)`, "gi"),
    to: (m) => `${m.slice(0, -2)} has`,
  },
  {
    pattern: new RegExp(`\\b(it|that|there|here|what|who|he|she)${apostrophe}s\\b`, "gi"),
    to: (m) => `${m.slice(0, -2)} is`,
  },
  { pattern: new RegExp(`\\b(\\w+)n${apostrophe}t\\b`, "gi"), to: (m) => `${m.slice(0, -3)} not` },
  { pattern: new RegExp(`\\b(\\w+)${apostrophe}re\\b`, "gi"), to: (m) => `${m.slice(0, -3)} are` },
  { pattern: new RegExp(`\\bI${apostrophe}m\\b`, "g"), to: "I am" },
  { pattern: new RegExp(`\\b(\\w+)${apostrophe}ll\\b`, "gi"), to: (m) => `${m.slice(0, -3)} will` },
  { pattern: new RegExp(`\\b(\\w+)${apostrophe}ve\\b`, "gi"), to: (m) => `${m.slice(0, -3)} have` },
  { pattern: new RegExp(`\\b(I|you|we|they|he|she)${apostrophe}d\\b`, "gi"), to: (m) => `${m.slice(0, -2)} would` },
];

// ---- word choice per tone ----------------------------------------------------------------------

function wordMap(map: Record<string, string>): Replacement[] {
  return Object.entries(map).map(([from, to]) => ({ pattern: new RegExp(`\\b${words(from)}\\b`, "gi"), to }));
}

const slang = { wanna: "want to", gonna: "going to", gotta: "have to", yeah: "yes", asap: "as soon as possible" };

const vocabulary: Record<ContentTone, Replacement[]> = {
  casual: wordMap({
    regarding: "about",
    assistance: "help",
    assist: "help",
    purchase: "buy",
    require: "need",
    utilize: "use",
    commence: "start",
    approximately: "about",
    additional: "more",
    "prior to": "before",
    sufficient: "enough",
    obtain: "get",
    numerous: "many",
  }),
  friendly: wordMap({ wanna: "want to", gonna: "going to", utilize: "use", commence: "start" }),
  professional: wordMap(slang),
  formal: wordMap({
    ...slang,
    thanks: "thank you",
    "get in touch": "contact us",
    "check out": "review",
    "find out": "learn",
    "get back to you": "respond",
    "a quick chat": "a brief conversation",
    "quick call": "brief call",
  }),
};

// ---- greetings and sign-offs -------------------------------------------------------------------

const genericNames = new Set(["", "there", "all", "everyone", "team", "folks", "sir or madam"]);

/** The greeting line a tone opens with, for a name ("" or "there" when no name is known). */
export function toneGreeting(tone: ContentTone, name: string): string {
  const generic = genericNames.has(name.trim().toLowerCase());
  switch (tone) {
    case "formal":
      return generic ? "Dear Sir or Madam," : `Dear ${name},`;
    case "professional":
      return `Hello ${generic ? "there" : name},`;
    case "friendly":
      return `Hi ${generic ? "there" : name},`;
    case "casual":
      return `Hey ${generic ? "there" : name},`;
  }
}

export const toneSignOffs: Record<ContentTone, string> = {
  professional: "Best regards,",
  friendly: "All the best,",
  casual: "Cheers,",
  formal: "Yours sincerely,",
};

/** A question that asks for the next step, added by "improve" when a message asks nothing. */
export const toneCallsToAction: Record<ContentTone, string> = {
  professional: "Would you be open to a short call this week?",
  friendly: "Would you be up for a quick chat this week?",
  casual: "Up for a quick chat this week?",
  formal: "Would you be available for a brief call this week?",
};

/**
 * "Hi Ada," or "Dear Mr Lovelace," at the very start: the greeting word, then up to four name
 * words (capitalised, or a generic "there"), then a comma or the end of the line.
 */
const greetingPattern =
  /^((?:[Hh]i|[Hh]ello|[Hh]ey|[Dd]ear|[Gg]reetings|[Gg]ood (?:morning|afternoon|evening))\b)((?:[ \t]+(?:\p{Lu}[\p{L}'.-]*|there|all|everyone|team|folks|or|madam)){0,4})[ \t]*([,!:]?)[ \t]*/u;

export interface Greeting {
  line: string;
  name: string;
}

/** The greeting at the start of `text`, if any, and the text after it. */
export function splitGreeting(text: string): { greeting: Greeting | null; rest: string } {
  const match = greetingPattern.exec(text);
  if (!match) return { greeting: null, rest: text };
  const after = text.slice(match[0].length);
  // "Hello World is live" is a sentence, not a greeting: a greeting ends with punctuation or the line.
  if (match[3] === "" && after !== "" && !after.startsWith("\n")) return { greeting: null, rest: text };
  return { greeting: { line: match[0].trim(), name: match[2]!.trim() }, rest: after };
}

const signOffPattern =
  /^(best( regards| wishes)?|kind regards|warm regards|regards|warmly|warm wishes|cheers|thanks( so much| again)?|thank you|many thanks|sincerely|yours (sincerely|faithfully|truly)|all the best|talk soon|respectfully)\s*[,!.]?$/i;

export function isSignOff(line: string): boolean {
  return signOffPattern.test(line.trim());
}

// ---- the rewriting operations --------------------------------------------------------------------

/**
 * The words of `text` in `tone`: contractions for casual and friendly, spelled out for formal;
 * word choice per tone; exclamation marks become full stops in professional and formal text and
 * are never doubled.
 */
export function applyToneToText(text: string, tone: ContentTone, changes: ContentChange[]): string {
  let out = text;
  if (tone === "casual" || tone === "friendly") out = applyReplacements(out, "contractions", contract, changes);
  if (tone === "formal") out = applyReplacements(out, "contractions spelled out", expand, changes);
  out = applyReplacements(out, `${tone} word choice`, vocabulary[tone], changes);
  const calm = tone === "professional" || tone === "formal";
  out = out.replace(/!+/g, (m) => {
    const to = calm ? "." : "!";
    if (m !== to) changes.push({ rule: calm ? "exclamation marks calmed" : "repeated punctuation", from: m, to });
    return to;
  });
  return out;
}

/** Filler sentences a reader skips: removed when shortening or improving. */
const fillerSentence =
  /^(i hope (this|my) (e-?mail|message|note) finds you well|(i )?hope (you('re| are)|all is) (doing )?well|i hope you('re| are) having a (great|good|nice) (day|week))\b[^.!?]*[.!?]?$/i;

export function isFillerSentence(sentence: string): boolean {
  return fillerSentence.test(sentence.trim());
}

/** Hedges and softeners removed when shortening: they add words, not meaning. */
const hedges: Replacement[] = [
  { pattern: /\b(to be honest|honestly),\s*/gi, to: "" },
  { pattern: /\bI (think|believe|feel like)( that)?\s+/gi, to: "" },
  { pattern: /\b(just|really|actually|basically|quite|simply|perhaps|maybe|possibly)\s+/gi, to: "" },
  { pattern: /\bvery\s+(?!much\b)/gi, to: "" },
  { pattern: /\b(kind|sort) of\s+/gi, to: "" },
];

/** Wordy phrases and their short forms. */
const wordyPhrases: Replacement[] = wordMap({
  "in order to": "to",
  "due to the fact that": "because",
  "at this point in time": "now",
  "in the event that": "if",
  "with regard to": "about",
  "a number of": "several",
  "for the purpose of": "for",
  "at the present time": "now",
  "in the near future": "soon",
});

/** `text` without hedges and with short forms of wordy phrases (sentence starts re-capitalised). */
export function tightenText(text: string, changes: ContentChange[]): string {
  let out = applyReplacements(text, "wordy phrases shortened", wordyPhrases, changes);
  out = out.replace(/\S[^.!?]*[.!?]?/g, (sentence) => {
    const before = changes.length;
    const removed = hedges.reduce(
      (s, { pattern, to }) =>
        s.replace(pattern, (m) => {
          changes.push({ rule: "hedges removed", from: m.trim(), to: "" });
          return typeof to === "string" ? to : to(m);
        }),
      sentence,
    );
    return changes.length === before ? sentence : capitaliseSentences(removed);
  });
  return out;
}

/** Mechanical fixes: spacing, doubled punctuation, a lone lower-case "i", indirect requests. */
export function improveText(text: string, changes: ContentChange[]): string {
  const fixes: Replacement[] = [
    { pattern: /[ \t]{2,}/g, to: " " },
    { pattern: /[ \t]+(?=[,.!?;:])/g, to: "" },
    { pattern: /([?!,;:])\1+/g, to: (m) => m.charAt(0) },
    { pattern: /\bi\b(?!\.)/g, to: "I" },
  ];
  let out = applyReplacements(text, "spacing and punctuation fixed", fixes, changes);
  out = out.replace(/\bI was wondering if you could ([^.!?]+)[.?]/gi, (m, ask: string) => {
    const to = `Could you ${ask}?`;
    changes.push({ rule: "indirect request made direct", from: m, to });
    return to;
  });
  return out.replace(/(^|[.!?]\s+)(\p{Ll})/gu, (_m, before: string, letter: string) => {
    changes.push({ rule: "sentence starts capitalised", from: letter, to: letter.toUpperCase() });
    return before + letter.toUpperCase();
  });
}
