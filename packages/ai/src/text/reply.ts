// Reply classification for the AI engine: the cue patterns' totals per class and the reply's
// own words (quoted history removed) as features of a logistic regression over seven classes,
// with a confidence, the suggested action and the cues and words behind it.
import { builtin, type Explained, type Factor } from "../engine";
import {
  featureContributions,
  linearLogits,
  softmax,
  trainLinearModel,
  type LinearModel,
  type LinearTrainingOptions,
} from "./linear-model";
import { replyClassNames, replyCues, type ReplyClassName } from "./reply-cues";
import shippedModel from "./reply-model.json";
import { findReferredContact, parseReturnDate, replyOwnText, type ReferredContact } from "./reply-text";
import { round } from "./signals";
import { textFeatures, tokenize } from "./tokenize";

export interface ReplyToClassify {
  subject?: string | null;
  /** The plain-text body as received, quoted history included. */
  text?: string | null;
  from?: string | null;
  /** Raw header lines ("Auto-Submitted: auto-replied"), if the transport kept them. */
  headers?: Record<string, string> | null;
  /** When the reply arrived: resolves "back Monday" or "until 5 March". */
  receivedAt?: Date | string | null;
}

export type SuggestedActionType =
  | "stop_sequence_create_task"
  | "stop_sequence_mark_not_interested"
  | "pause_sequence_answer_question"
  | "pause_sequence_until"
  | "unsubscribe_contact"
  | "mark_email_invalid"
  | "ignore_auto_reply"
  | "enrol_referred_contact";

export interface SuggestedAction {
  type: SuggestedActionType;
  /** What to do, as a person would say it. */
  description: string;
  /** For pause_sequence_until: the day to resume (YYYY-MM-DD). */
  resumeOn?: string;
  /** For enrol_referred_contact. */
  referredContact?: ReferredContact;
}

export interface ReplyClassification {
  classification: ReplyClassName;
  /** The probability of that class (0-1). */
  confidence: number;
  probabilities: Record<ReplyClassName, number>;
  action: SuggestedAction;
  /** The text the classification read: the sender's own words. */
  ownText: string;
}

export const replyModelName = "reply-cues+logistic-regression";
export const replyModelVersion = "1";

/** Days an away reply pauses a sequence when it names no return date. */
export const defaultAwayPauseDays = 7;

interface ReplyFields {
  from: string;
  subject: string;
  body: string;
  headers: string;
}

function fieldsOf(reply: ReplyToClassify): ReplyFields {
  return {
    from: (reply.from ?? "").trim(),
    subject: reply.subject ?? "",
    body: replyOwnText(reply.text ?? ""),
    headers: Object.entries(reply.headers ?? {})
      .map(([k, v]) => `${k}: ${v}`)
      .join("\n"),
  };
}

/** The cues that match, each with its class and weight. */
export function matchReplyCues(fields: ReplyFields) {
  return replyCues.filter((c) => c.pattern.test(fields[c.where]));
}

/**
 * Features: `cue:<class>` = the matched cue weight for that class, and the words and bigrams
 * of the subject (prefixed `s`) and the own text.
 */
export function replyFeatures(fields: ReplyFields): Map<string, number> {
  const features = textFeatures(tokenize(fields.body));
  for (const [name, value] of textFeatures(tokenize(fields.subject))) features.set(`s${name}`, value);
  for (const c of matchReplyCues(fields)) {
    features.set(`cue:${c.className}`, (features.get(`cue:${c.className}`) ?? 0) + c.weight);
  }
  return features;
}

export const replyTrainingOptions: LinearTrainingOptions = {
  l2: 0.02,
  l2ByPrefix: { "cue:": 0.0005 },
  iterations: 300,
  learningRate: 0.05,
  minCount: 2,
  alwaysKeep: ["cue:"],
  pruneBelow: 0.005,
  decimals: 4,
};

export interface LabelledReply extends ReplyToClassify {
  label: ReplyClassName;
}

export function trainReplyModel(
  examples: readonly LabelledReply[],
  options: LinearTrainingOptions = replyTrainingOptions,
): LinearModel {
  return trainLinearModel(
    examples.map((e) => ({ features: replyFeatures(fieldsOf(e)), label: e.label })),
    replyClassNames,
    options,
  );
}

/** The model shipped with the engine: trained on the labelled replies in eval/replies.json. */
export const defaultReplyModel: LinearModel = shippedModel as LinearModel;

function toDate(value: Date | string | null | undefined): Date | undefined {
  if (value === null || value === undefined) return undefined;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function addDays(date: Date, days: number): string {
  const t = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + days));
  return t.toISOString().slice(0, 10);
}

function actionFor(className: ReplyClassName, fields: ReplyFields, reply: ReplyToClassify): SuggestedAction {
  switch (className) {
    case "interested":
      return {
        type: "stop_sequence_create_task",
        description: "Stop the sequence and create a task to follow up personally.",
      };
    case "not_interested":
      return {
        type: "stop_sequence_mark_not_interested",
        description: "Stop the sequence and mark the contact as not interested.",
      };
    case "question":
      return {
        type: "pause_sequence_answer_question",
        description: "Pause the sequence and create a task to answer the question.",
      };
    case "out_of_office": {
      const received = toDate(reply.receivedAt);
      const back = parseReturnDate(`${fields.subject}\n${fields.body}`, received);
      if (back)
        return { type: "pause_sequence_until", description: `Pause the sequence until ${back}.`, resumeOn: back };
      if (received) {
        const resumeOn = addDays(received, defaultAwayPauseDays);
        return {
          type: "pause_sequence_until",
          description: `Pause the sequence until ${resumeOn} (no return date given; ${defaultAwayPauseDays} days).`,
          resumeOn,
        };
      }
      return {
        type: "pause_sequence_until",
        description: `Pause the sequence for ${defaultAwayPauseDays} days (no return date given).`,
      };
    }
    case "unsubscribe_request":
      return {
        type: "unsubscribe_contact",
        description: "Unsubscribe the contact and stop every sequence they are in.",
      };
    case "bounce_auto_reply": {
      // A delayed delivery is retried by the mail server; only a failure condemns the address.
      const hardBounce =
        matchReplyCues(fields).some(
          (c) => c.className === "bounce_auto_reply" && /mail server|not delivered|does not receive/.test(c.reason),
        ) && !/\bdelay(ed)?\b/i.test(`${fields.subject}\n${fields.body}`);
      return hardBounce
        ? { type: "mark_email_invalid", description: "Mark the address as bouncing and stop sending to it." }
        : { type: "ignore_auto_reply", description: "Ignore the automatic reply; the sequence goes on." };
    }
    case "referral": {
      const referredContact = findReferredContact(fields.body, fields.from);
      const who = [referredContact.name, referredContact.email && `<${referredContact.email}>`]
        .filter(Boolean)
        .join(" ");
      return {
        type: "enrol_referred_contact",
        description: `Stop the sequence for this contact and enrol the referred contact${who ? ` ${who}` : ""}.`,
        referredContact,
      };
    }
  }
}

/** The suggested action for a reply of a class another engine chose (Workers AI): same rules as ours. */
export function suggestedActionFor(className: ReplyClassName, reply: ReplyToClassify): SuggestedAction {
  return actionFor(className, fieldsOf(reply), reply);
}

const classWords: Record<ReplyClassName, string> = {
  interested: "interested",
  not_interested: "not interested",
  question: "a question",
  out_of_office: "out of office",
  unsubscribe_request: "an unsubscribe request",
  bounce_auto_reply: "a bounce or automatic reply",
  referral: "a referral",
};

export interface ReplyClassifyOptions {
  model?: LinearModel;
  maxFactors?: number;
}

/** The class of an inbound reply, how sure, what to do about it, and why. */
export function classifyReplyIntent(
  reply: ReplyToClassify,
  options: ReplyClassifyOptions = {},
): Explained<ReplyClassification> {
  const model = options.model ?? defaultReplyModel;
  const fields = fieldsOf(reply);
  const features = replyFeatures(fields);
  const probabilities = softmax(linearLogits(model, features));
  let best = 0;
  for (let c = 1; c < probabilities.length; c++) if (probabilities[c]! > probabilities[best]!) best = c;
  const classification = model.classes[best] as ReplyClassName;
  const cues = matchReplyCues(fields);

  // Factors: the cues of the chosen class (in the learned log-odds they earn), then its words.
  const contributions = featureContributions(model, features, best);
  const cueImpact = contributions.find((c) => c.feature === `cue:${classification}`)?.impact ?? 0;
  const ownCues = cues.filter((c) => c.className === classification);
  const cueTotal = ownCues.reduce((s, c) => s + c.weight, 0);
  const factors: Factor[] = [
    ...ownCues.map((c) => ({ name: c.reason, impact: round((cueImpact * c.weight) / cueTotal, 3), value: c.where })),
    ...contributions
      .filter((c) => !c.feature.startsWith("cue:"))
      .map((c) => ({
        name: `${c.feature.startsWith("s") ? "subject: " : ""}"${c.feature.replace(/^s?[wb]:/, "").replace(/^not_/, "not ")}"`,
        impact: round(c.impact, 3),
        value: "word",
      })),
    ...contributions
      .filter((c) => c.feature.startsWith("cue:") && c.feature !== `cue:${classification}`)
      .map((c) => ({
        name: `cues for ${classWords[c.feature.slice(4) as ReplyClassName]}`,
        impact: round(c.impact, 3),
      })),
  ]
    .filter((f) => f.impact !== 0)
    .sort((a, b) => Math.abs(b.impact) - Math.abs(a.impact))
    .slice(0, options.maxFactors ?? 8);

  const confidence = round(probabilities[best]!, 3);
  const action = actionFor(classification, fields, reply);
  const why = ownCues.length > 0 ? ownCues.map((c) => c.reason).join("; ") : "its wording";
  return {
    result: {
      classification,
      confidence,
      probabilities: Object.fromEntries(model.classes.map((c, i) => [c, round(probabilities[i]!, 3)])) as Record<
        ReplyClassName,
        number
      >,
      action,
      ownText: fields.body,
    },
    explanation: `Read as ${classWords[classification]} (${Math.round(confidence * 100)}% sure): ${why}. ${action.description}`,
    factors,
    engine: builtin(replyModelName, replyModelVersion),
  };
}
