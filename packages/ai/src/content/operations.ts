// The built-in content engine: composes an email, SMS or social post from a tenant's template and
// the contact's and deal's facts, and improves, shortens or rewrites a draft. Deterministic:
// the same template, context and tone always give the same text, and the result lists what
// was used and every rule that changed a word.
import {
  type TemplateData,
  type TemplateProblem,
  renderTemplate,
  templateProblems,
  templateTokens,
} from "@crm/outreach";
import { type Explained, type Factor, builtin } from "../engine";
import {
  type ContentChannel,
  type MessageParts,
  dropTrailingSentences,
  layOut,
  parseMessage,
  subjectFromBody,
  subjectLimit,
  toneMessage,
} from "./message";
import {
  type ContentChange,
  type ContentTone,
  applyToneToText,
  improveText,
  isFillerSentence,
  tightenText,
  toneCallsToAction,
  toneGreeting,
  toneSignOffs,
} from "./rules";
import { characterCount, splitSentences, truncateAtWord } from "./text";

export const contentEngine = builtin("content-compose", "1");

/** A tenant's template: `{{contact.firstName|there}}` tokens in its subject and body. */
export interface ContentTemplate {
  id: string;
  name: string;
  subject?: string | null;
  body: string;
}

export interface GenerateContentInput {
  channel: ContentChannel;
  tone: ContentTone;
  template: ContentTemplate;
  /** The contact, company, deal and sender the message is for. */
  context: TemplateData;
  /** The tenant's contact custom-field keys (tokens naming others are refused). Default: the context's keys. */
  customFieldKeys?: readonly string[];
}

export interface GeneratedContent {
  channel: ContentChannel;
  tone: ContentTone;
  /** Emails only. */
  subject: string | null;
  body: string;
  characters: number;
  /** The channel's hard limit in characters, when it has one. */
  limit: number | null;
  truncated: boolean;
  templateId: string;
  /** Context fields whose values went into the text, e.g. "contact.firstName". */
  factsUsed: string[];
  /** Tokens that were empty in the context, so their fallback (or nothing) was used. */
  fallbacksUsed: string[];
  changes: ContentChange[];
}

/** A template whose tokens cannot be rendered: a typo would reach the recipient as braces. */
export class ContentTemplateError extends Error {
  constructor(readonly problems: TemplateProblem[]) {
    super(problems.map((p) => p.message).join("; "));
    this.name = "ContentTemplateError";
  }
}

interface Fact {
  path: string;
  value: string;
  usedFallback: boolean;
}

function contextFacts(text: string, context: TemplateData): Fact[] {
  const seen = new Map<string, Fact>();
  for (const token of templateTokens(text)) {
    const path = `${token.root}.${token.field}`;
    if (seen.has(path)) continue;
    const value = renderTemplate(`{{${path}}}`, context).trim();
    seen.set(
      path,
      value === "" ? { path, value: token.fallback ?? "", usedFallback: true } : { path, value, usedFallback: false },
    );
  }
  return [...seen.values()];
}

/** The changes grouped per rule, most edits first: the factors of an edit. */
function changeFactors(changes: ContentChange[]): Factor[] {
  const byRule = new Map<string, ContentChange[]>();
  for (const change of changes) byRule.set(change.rule, [...(byRule.get(change.rule) ?? []), change]);
  return [...byRule.entries()]
    .map(([rule, list]) => ({
      name: rule,
      impact: list.length,
      value: list
        .slice(0, 3)
        .map((c) =>
          c.to === "" ? `"${c.from}" removed` : c.from === "" ? `"${c.to}" added` : `"${c.from}" → "${c.to}"`,
        )
        .join(", "),
    }))
    .sort((a, b) => b.impact - a.impact);
}

function changeSummary(changes: ContentChange[]): string {
  if (changes.length === 0) return "No rule changed the text.";
  const rules = changeFactors(changes).map((f) => (f.impact > 1 ? `${f.name} (${f.impact})` : f.name));
  return `Rules applied: ${rules.join(", ")}.`;
}

const quoted = (list: string[]) => list.join(", ");

const channelNames: Record<ContentChannel, string> = { email: "email", sms: "SMS", social: "social post" };

/** An email, SMS or social post from a tenant template, in the tone asked for. */
export function generateContent(input: GenerateContentInput): Explained<GeneratedContent> {
  const { channel, tone, template, context } = input;
  const subjectTemplate = channel === "email" ? (template.subject ?? "") : "";
  const customFieldKeys = input.customFieldKeys ?? Object.keys(context.contact.customFields ?? {});
  const problems = templateProblems(`${subjectTemplate}\n${template.body}`, { contactCustomFields: customFieldKeys });
  if (problems.length > 0) throw new ContentTemplateError(problems);

  const facts = contextFacts(`${subjectTemplate}\n${template.body}`, context);
  const changes: ContentChange[] = [];
  let parts = toneMessage(parseMessage(renderTemplate(template.body, context)), tone, changes);
  // Pleasantries ("I hope this email finds you well") cost an SMS a third of its room.
  if (channel === "sms") parts = { ...parts, paragraphs: withoutFillers(parts.paragraphs, changes) };

  let subject: string | null = null;
  if (channel === "email") {
    const firstName = renderTemplate("{{contact.firstName}}", context).trim();
    if (!parts.greeting) {
      const line = toneGreeting(tone, firstName);
      changes.push({ rule: "greeting added", from: "", to: line });
      parts = { ...parts, greeting: { line, name: firstName } };
    }
    if (parts.signOff === null) {
      const senderName = renderTemplate("{{sender.name}}", context).trim();
      changes.push({ rule: "sign-off added", from: "", to: toneSignOffs[tone] });
      parts = { ...parts, signOff: toneSignOffs[tone], signature: senderName === "" ? [] : [senderName] };
    }
    const rendered = renderTemplate(subjectTemplate, context).replace(/\s+/g, " ").trim();
    if (rendered === "") {
      subject = subjectFromBody(parts);
      changes.push({ rule: "subject taken from the first sentence", from: "", to: subject });
    } else {
      // A subject line is not a sentence: no closing full stop.
      subject = truncateAtWord(applyToneToText(rendered, tone, changes).replace(/\.+$/, ""), subjectLimit).text;
    }
  }
  const laidOut = layOut(parts, channel, changes);

  const used = facts.filter((f) => !f.usedFallback);
  const fallbacks = facts.filter((f) => f.usedFallback);
  const sentences = [
    `Composed a ${tone} ${channelNames[channel]} from template "${template.name}".`,
    used.length > 0
      ? `Context used: ${quoted(used.map((f) => `${f.path} = "${f.value}"`))}.`
      : "No context field was used.",
  ];
  if (fallbacks.length > 0) {
    sentences.push(
      `Empty in the context, so the fallback was used: ${quoted(fallbacks.map((f) => (f.value === "" ? `${f.path} (left blank)` : `${f.path} → "${f.value}"`)))}.`,
    );
  }
  if (laidOut.truncated) sentences.push(`Cut to the ${laidOut.limit}-character limit at a word boundary.`);
  sentences.push(changeSummary(changes));

  return {
    result: {
      channel,
      tone,
      subject,
      body: laidOut.body,
      characters: laidOut.characters,
      limit: laidOut.limit,
      truncated: laidOut.truncated,
      templateId: template.id,
      factsUsed: used.map((f) => f.path),
      fallbacksUsed: fallbacks.map((f) => f.path),
      changes,
    },
    explanation: sentences.join(" "),
    factors: [
      ...used.map((f) => ({ name: f.path, impact: 1, value: f.value })),
      ...fallbacks.map((f) => ({ name: `${f.path} (fallback)`, impact: 0, value: f.value })),
      ...changeFactors(changes),
    ],
    engine: contentEngine,
  };
}

/** A draft to edit: what a person typed or an earlier generation returned. */
export interface ContentDraft {
  channel: ContentChannel;
  subject?: string | null;
  body: string;
}

export interface EditedContent {
  channel: ContentChannel;
  subject: string | null;
  body: string;
  characters: number;
  limit: number | null;
  truncated: boolean;
  changes: ContentChange[];
}

export type ContentOperation = "rewrite" | "shorten" | "improve";

function edited(
  operation: ContentOperation,
  draft: ContentDraft,
  parts: MessageParts,
  subject: string | null,
  changes: ContentChange[],
  what: string,
  maxCharacters?: number,
): Explained<EditedContent> {
  const laidOut = layOut(parts, draft.channel, changes, maxCharacters);
  const sentences = [what, changeSummary(changes)];
  if (laidOut.truncated) sentences.push(`Cut to the ${laidOut.limit}-character limit at a word boundary.`);
  return {
    result: {
      channel: draft.channel,
      subject: draft.channel === "email" ? subject : null,
      body: laidOut.body,
      characters: laidOut.characters,
      limit: laidOut.limit,
      truncated: laidOut.truncated,
      changes,
    },
    explanation: sentences.join(" "),
    factors: changeFactors(changes),
    engine: builtin(`content-${operation}`, "1"),
  };
}

/** The draft in another tone: greeting, sign-off, contractions, word choice and punctuation. */
export function rewriteContent(draft: ContentDraft, tone: ContentTone): Explained<EditedContent> {
  const changes: ContentChange[] = [];
  const parts = toneMessage(parseMessage(draft.body), tone, changes);
  const subject = draft.subject ? applyToneToText(draft.subject.trim(), tone, changes) : (draft.subject ?? null);
  return edited(
    "rewrite",
    draft,
    parts,
    subject,
    changes,
    `Rewrote the ${channelNames[draft.channel]} in a ${tone} tone.`,
  );
}

function withoutFillers(paragraphs: string[], changes: ContentChange[]): string[] {
  const total = paragraphs.flatMap((p) => splitSentences(p)).length;
  let kept = total;
  return paragraphs
    .map((paragraph) => {
      const sentences = splitSentences(paragraph).filter((sentence) => {
        // The last sentence of a message stays even when it is filler: an empty body is no draft.
        if (!isFillerSentence(sentence) || kept <= 1) return true;
        kept--;
        changes.push({ rule: "filler sentences removed", from: sentence, to: "" });
        return false;
      });
      return sentences.length === splitSentences(paragraph).length ? paragraph : sentences.join(" ");
    })
    .filter((p) => p !== "");
}

/**
 * The draft shorter: filler sentences and hedges ("just", "I think", "maybe") removed, wordy
 * phrases shortened; then, above `maxCharacters` (or the channel's limit), closing sentences
 * dropped and finally a cut at a word boundary.
 */
export function shortenContent(
  draft: ContentDraft,
  options: { maxCharacters?: number } = {},
): Explained<EditedContent> {
  const changes: ContentChange[] = [];
  const parsed = parseMessage(draft.body);
  let parts: MessageParts = {
    ...parsed,
    paragraphs: withoutFillers(parsed.paragraphs, changes).map((p) => tightenText(p, changes)),
  };
  const before = characterCount(draft.body.trim());
  const limit = options.maxCharacters;
  if (limit !== undefined) parts = dropTrailingSentences(parts, draft.channel, limit, changes);
  const subject = draft.subject ? truncateAtWord(tightenText(draft.subject.trim(), changes), subjectLimit).text : null;
  const result = edited("shorten", draft, parts, subject, changes, "", limit);
  result.explanation = `Shortened the ${channelNames[draft.channel]} from ${before} to ${result.result.characters} characters. ${result.explanation.trim()}`;
  return result;
}

/**
 * The draft tidied: spacing and doubled punctuation fixed, sentence starts capitalised, a
 * filler opener removed, "I was wondering if you could ..." asked directly, and an email that
 * asks nothing given a question in the tone's voice. A missing subject comes from the first sentence.
 */
export function improveContent(draft: ContentDraft, tone: ContentTone = "professional"): Explained<EditedContent> {
  const changes: ContentChange[] = [];
  const parsed = parseMessage(draft.body);
  const greeting = parsed.greeting && {
    ...parsed.greeting,
    line: parsed.greeting.line.replace(/^\p{Ll}/u, (c) => {
      changes.push({ rule: "sentence starts capitalised", from: c, to: c.toUpperCase() });
      return c.toUpperCase();
    }),
  };
  let paragraphs = withoutFillers(parsed.paragraphs, changes).map((p) => improveText(p, changes));
  paragraphs = paragraphs.map((p) => {
    if (/[.!?]["')]?$/.test(p)) return p;
    changes.push({ rule: "full stop added", from: p.slice(-20), to: `${p.slice(-20)}.` });
    return `${p}.`;
  });
  if (draft.channel === "email" && !paragraphs.some((p) => p.includes("?"))) {
    const ask = toneCallsToAction[tone];
    changes.push({ rule: "question added so the reader knows the next step", from: "", to: ask });
    paragraphs = [...paragraphs, ask];
  }
  const parts: MessageParts = { ...parsed, greeting, paragraphs };
  let subject: string | null = null;
  if (draft.channel === "email") {
    const typed = (draft.subject ?? "").replace(/\s+/g, " ").trim();
    if (typed === "") {
      subject = subjectFromBody(parts);
      changes.push({ rule: "subject taken from the first sentence", from: "", to: subject });
    } else {
      const tidy = typed.replace(/[.!]+$/, "").replace(/^\p{Ll}/u, (c) => c.toUpperCase());
      subject = truncateAtWord(tidy, subjectLimit).text;
      if (subject !== typed) changes.push({ rule: "subject tidied", from: typed, to: subject });
    }
  }
  return edited("improve", draft, parts, subject, changes, `Improved the ${channelNames[draft.channel]}.`);
}
