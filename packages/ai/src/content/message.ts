// A message as the content rules see it: greeting, paragraphs, sign-off and signature, and how
// each channel lays those out (an SMS is one line without a sign-off; a social post addresses
// no one).
import {
  type ContentChange,
  type ContentTone,
  type Greeting,
  applyToneToText,
  isSignOff,
  splitGreeting,
  toneGreeting,
  toneSignOffs,
} from "./rules";
import { characterCount, splitSentences, truncateAtWord } from "./text";

export const contentChannels = ["email", "sms", "social"] as const;
export type ContentChannel = (typeof contentChannels)[number];

/** Hard length limits in characters: one SMS segment, one short social post. Email has none. */
export const channelLimits: Record<ContentChannel, number | null> = { email: null, sms: 160, social: 280 };

/** The longest subject line kept whole (longer ones are cut at a word). */
export const subjectLimit = 60;

export interface MessageParts {
  greeting: Greeting | null;
  paragraphs: string[];
  signOff: string | null;
  /** The lines after the sign-off (the sender's name, title). */
  signature: string[];
}

export function parseMessage(body: string): MessageParts {
  const { greeting, rest } = splitGreeting(body.replace(/\r\n?/g, "\n").trim());
  const lines = rest.trim().split("\n");
  let signOffIndex = -1;
  // A sign-off is one of the last four lines, followed only by the signature.
  for (let i = lines.length - 1; i >= Math.max(0, lines.length - 4); i--) {
    if (isSignOff(lines[i]!)) {
      signOffIndex = i;
      break;
    }
  }
  const bodyLines = signOffIndex === -1 ? lines : lines.slice(0, signOffIndex);
  return {
    greeting,
    paragraphs: bodyLines
      .join("\n")
      .split(/\n[ \t]*\n/)
      .map((p) => p.trim())
      .filter((p) => p !== ""),
    signOff: signOffIndex === -1 ? null : lines[signOffIndex]!.trim(),
    signature:
      signOffIndex === -1
        ? []
        : lines
            .slice(signOffIndex + 1)
            .map((l) => l.trim())
            .filter((l) => l !== ""),
  };
}

/** Greeting, words and sign-off rewritten in `tone` (the name in the greeting kept). */
export function toneMessage(parts: MessageParts, tone: ContentTone, changes: ContentChange[]): MessageParts {
  let greeting = parts.greeting;
  if (greeting) {
    const line = toneGreeting(tone, greeting.name);
    if (line !== greeting.line) changes.push({ rule: `${tone} greeting`, from: greeting.line, to: line });
    greeting = { line, name: greeting.name };
  }
  let signOff = parts.signOff;
  if (signOff !== null && signOff !== toneSignOffs[tone]) {
    changes.push({ rule: `${tone} sign-off`, from: signOff, to: toneSignOffs[tone] });
    signOff = toneSignOffs[tone];
  }
  return {
    greeting,
    paragraphs: parts.paragraphs.map((p) => applyToneToText(p, tone, changes)),
    signOff,
    signature: parts.signature,
  };
}

/** Characters outside the GSM 7-bit alphabet turn an SMS into UCS-2, cutting a segment to 70 characters. */
const gsmLookalikes: [RegExp, string][] = [
  [/[‘’]/g, "'"],
  [/[“”]/g, '"'],
  [/[–—]/g, "-"],
  [/…/g, "..."],
  [/\u00a0/g, " "],
];

function toGsm(text: string, changes: ContentChange[]): string {
  return gsmLookalikes.reduce(
    (s, [pattern, to]) =>
      s.replace(pattern, (m) => {
        changes.push({ rule: "typographic characters made SMS-safe", from: m, to });
        return to;
      }),
    text,
  );
}

export interface LaidOut {
  body: string;
  characters: number;
  limit: number | null;
  truncated: boolean;
}

/**
 * The message laid out for its channel and held to the channel's limit (or a smaller one the
 * caller asks for): cut at a sentence or word boundary, never mid-word.
 */
export function layOut(
  parts: MessageParts,
  channel: ContentChannel,
  changes: ContentChange[],
  maxCharacters?: number,
): LaidOut {
  let body: string;
  // Sentences an SMS dropped or cut to keep its call to action (the text then fits its limit).
  const smsChanges: ContentChange[] = [];
  if (channel === "email") {
    body = [parts.greeting?.line, parts.paragraphs.join("\n\n"), [parts.signOff, ...parts.signature].join("\n")]
      .filter((block): block is string => !!block && block.trim() !== "")
      .join("\n\n");
  } else {
    if (parts.signOff !== null || parts.signature.length > 0) {
      const dropped = [parts.signOff, ...parts.signature].filter(Boolean).join(" / ");
      changes.push({
        rule: `sign-off left out of the ${channel === "sms" ? "SMS" : "social post"}`,
        from: dropped,
        to: "",
      });
    }
    if (channel === "sms") {
      const line = smsLine(parts, smsLimitOf(maxCharacters), smsChanges);
      changes.push(...smsChanges);
      body = toGsm(line, changes);
    } else {
      if (parts.greeting)
        changes.push({ rule: "greeting left out of the social post", from: parts.greeting.line, to: "" });
      body = parts.paragraphs.join("\n\n");
    }
  }
  const channelLimit = channelLimits[channel];
  const limit =
    maxCharacters === undefined
      ? channelLimit
      : channelLimit === null
        ? maxCharacters
        : Math.min(maxCharacters, channelLimit);
  const cut = limit === null ? { text: body, truncated: false } : truncateAtWord(body, limit);
  if (cut.truncated) {
    changes.push({
      rule: `cut to ${limit} characters`,
      from: `${characterCount(body)} characters`,
      to: `${characterCount(cut.text)} characters`,
    });
  }
  return {
    body: cut.text,
    characters: characterCount(cut.text),
    limit,
    truncated: cut.truncated || smsChanges.length > 0,
  };
}

const smsLimitOf = (maxCharacters: number | undefined) =>
  Math.min(maxCharacters ?? Number.POSITIVE_INFINITY, channelLimits.sms ?? Number.POSITIVE_INFINITY);

/**
 * Words that start a sentence but are no name, so they go lower case after an SMS greeting's
 * comma ("Hey Dana, we help"); anything else (a name, a company, "I") keeps its capital.
 * "Will" is left out: it is a name as often as a question.
 */
const commonOpeners = new Set(
  (
    "a about after all also an and any are as at before but by can could did do does for from glad good great " +
    "had has have happy here hope how if in is it its it's just last let let's many may most my next no not now " +
    "of on our quick since so some thank thanks that the their there these they this those to today tomorrow " +
    "we we'd we'll we're we've were what when where which who why with would you you'd you'll you're you've your"
  ).split(" "),
);

/** The first word after a greeting's comma, lower-cased when it is an ordinary word. */
export function continueAfterGreeting(greetingLine: string, text: string): string {
  if (!/,\s*$/.test(greetingLine)) return text;
  const word = /^([\p{L}']+)/u.exec(text)?.[1];
  if (!word || !commonOpeners.has(word.toLowerCase()) || word !== word[0] + word.slice(1).toLowerCase()) return text;
  return word[0]!.toLowerCase() + text.slice(1);
}

/** A sentence that asks the reader to do something: a question, or reply / call / book / a link. */
export function isCallToAction(sentence: string): boolean {
  return (
    /\?\s*$/.test(sentence) ||
    /\b(reply|respond|call|book|schedule|click|tap|visit|text|sign up|register|join|grab|claim|let (me|us) know|get in touch|reach out)\b|https?:\/\/|www\./i.test(
      sentence,
    )
  );
}

/**
 * An SMS on one line: the greeting runs into the text ("Hey Dana, we help …"). Over `limit`,
 * the close (the last sentence: the call to action) is kept whole and sentences are dropped
 * from the middle, then the opening is cut at a word, so the reader still learns what to do.
 */
function smsLine(parts: MessageParts, limit: number, changes: ContentChange[]): string {
  const greeting = parts.greeting?.line ?? "";
  const compose = (sentences: string[]) => {
    const text = sentences.join(" ").replace(/\s+/g, " ").trim();
    return greeting ? `${greeting} ${continueAfterGreeting(greeting, text)}`.trim() : text;
  };
  const sentences = parts.paragraphs.flatMap((p) => splitSentences(p));
  const fits = (text: string) => characterCount(text) <= limit;
  if (fits(compose(sentences)) || sentences.length < 2 || !isCallToAction(sentences.at(-1)!)) return compose(sentences);
  const kept = [...sentences];
  while (kept.length > 2 && !fits(compose(kept))) {
    const [dropped] = kept.splice(kept.length - 2, 1);
    changes.push({ rule: "middle sentences dropped to keep the call to action", from: dropped!, to: "" });
  }
  const close = kept.at(-1)!;
  const whole = compose(kept);
  if (fits(whole)) return whole;
  // Still too long: cut the opening at a word, keeping room for the close.
  const opening = compose(kept.slice(0, -1));
  const room = limit - characterCount(close) - 1;
  if (room < 20) return whole;
  const cut = truncateAtWord(opening, room);
  changes.push({
    rule: "opening cut to keep the call to action",
    from: `${characterCount(opening)} characters`,
    to: `${characterCount(cut.text)} characters`,
  });
  return `${cut.text} ${close}`;
}

/** A subject from the message's first sentence, when the template gave none. */
export function subjectFromBody(parts: MessageParts): string {
  const first = splitSentences(parts.paragraphs[0] ?? "")[0] ?? "";
  return truncateAtWord(first.replace(/[.!]$/, ""), subjectLimit).text;
}

/** Drops sentences from the end of the body (keeping the first) until the whole fits `limit`. */
export function dropTrailingSentences(
  parts: MessageParts,
  channel: ContentChannel,
  limit: number,
  changes: ContentChange[],
): MessageParts {
  // An SMS ending in a call to action keeps it: layOut drops from its middle instead.
  const lastSentence = splitSentences(parts.paragraphs.at(-1) ?? "").at(-1);
  if (channel === "sms" && lastSentence && isCallToAction(lastSentence)) return parts;
  let paragraphs = parts.paragraphs;
  const fits = (ps: string[]) => layOut({ ...parts, paragraphs: ps }, channel, [], undefined).characters <= limit;
  while (!fits(paragraphs)) {
    const last = paragraphs[paragraphs.length - 1];
    if (last === undefined) break;
    const sentences = splitSentences(last);
    if (paragraphs.length === 1 && sentences.length <= 1) break;
    const dropped = sentences.pop()!;
    changes.push({ rule: "closing sentences dropped to fit", from: dropped, to: "" });
    paragraphs = sentences.length === 0 ? paragraphs.slice(0, -1) : [...paragraphs.slice(0, -1), sentences.join(" ")];
  }
  return { ...parts, paragraphs };
}
