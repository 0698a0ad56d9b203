// The AI provider layer: one interface per capability, answered by the built-in engine
// (@crm/ai: deterministic, no network; the default) or by Workers AI through
// workers-ai-provider and the `ai` SDK when the Worker has an `AI` binding. A Workers AI call
// that fails, times out or returns what the schema refuses falls back to the built-in engine,
// so an answer always comes back and says which engine made it.
import {
  type ContentDraft,
  type ContentOperation,
  type ContentTone,
  type EditedContent,
  type EngineInfo,
  type Explained,
  type Factor,
  type GenerateContentInput,
  type GeneratedContent,
  type ReplyClassification,
  type ReplyClassName,
  type ReplyToClassify,
  type Sentiment,
  analyzeSentiment,
  channelLimits,
  classifyReplyIntent,
  generateContent,
  improveContent,
  replyClassNames,
  rewriteContent,
  sentimentLabels,
  shortenContent,
  subjectLimit,
  suggestedActionFor,
  truncateAtWord,
} from "@crm/ai";
import { generateText, Output } from "ai";
import { createWorkersAI } from "workers-ai-provider";
import { z } from "zod";

/** A reply classification; Workers AI gives the chosen class's probability only. */
export type ReplyClassificationOutput = Omit<ReplyClassification, "probabilities"> & {
  probabilities: Partial<Record<ReplyClassName, number>>;
};

export interface SentimentProvider {
  analyse(text: string): Promise<Explained<Sentiment>>;
}

export interface ReplyClassifierProvider {
  classify(reply: ReplyToClassify): Promise<Explained<ReplyClassificationOutput>>;
}

export interface ContentProvider {
  generate(input: GenerateContentInput): Promise<Explained<GeneratedContent>>;
  edit(operation: ContentOperation, draft: ContentDraft, tone: ContentTone): Promise<Explained<EditedContent>>;
}

export interface AiProviders {
  sentiment: SentimentProvider;
  classifyReply: ReplyClassifierProvider;
  content: ContentProvider;
}

function builtinEdit(operation: ContentOperation, draft: ContentDraft, tone: ContentTone): Explained<EditedContent> {
  if (operation === "rewrite") return rewriteContent(draft, tone);
  if (operation === "shorten") return shortenContent(draft);
  return improveContent(draft, tone);
}

/** The built-in engine behind every capability. */
export const builtinProviders: AiProviders = {
  sentiment: { analyse: async (text) => analyzeSentiment(text) },
  classifyReply: { classify: async (reply) => classifyReplyIntent(reply) },
  content: {
    generate: async (input) => generateContent(input),
    edit: async (operation, draft, tone) => builtinEdit(operation, draft, tone),
  },
};

/** The part of the Workers AI binding the provider calls (`env.AI`). */
export type AiBinding = Pick<Ai, "run">;

export interface WorkersAiOptions {
  /** A text-generation model that supports JSON-schema output. */
  model?: string;
  /** How long to wait for the model before the built-in engine answers instead. */
  timeoutMs?: number;
  /** Told about each fall-back (the API logs it). */
  onFallback?: (capability: string, error: unknown) => void;
}

export const defaultWorkersAiModel = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
const defaultTimeoutMs = 10_000;
/** Bumped when the prompts or schemas below change, so stored outputs say which made them. */
const promptVersion = "1";

const FactorsSchema = z
  .array(z.object({ name: z.string().min(1), impact: z.number() }))
  .max(10)
  .describe("The words or facts behind the result, strongest first; impact is signed (positive pushes up)");

const SentimentAnswerSchema = z.object({
  label: z.enum(sentimentLabels),
  score: z.number().min(-1).max(1).describe("-1 most negative to 1 most positive"),
  explanation: z.string().min(1).describe("One or two sentences: why this label"),
  factors: FactorsSchema,
});

const ReplyAnswerSchema = z.object({
  classification: z.enum(replyClassNames),
  confidence: z.number().min(0).max(1),
  explanation: z.string().min(1),
  factors: FactorsSchema,
});

const MessageAnswerSchema = z.object({
  subject: z.string().nullable().describe("Email subject; null for SMS and social posts"),
  body: z.string().min(1),
  explanation: z.string().min(1).describe("One or two sentences: what was written and why"),
});

const sentimentSystem =
  "You rate the sentiment of a text a customer or a sales rep wrote (an email, a note, a call transcript). " +
  `Answer with JSON: label (one of ${sentimentLabels.join(", ")}), score from -1 to 1, a short explanation, ` +
  "and factors: the phrases that decided it, each with a signed impact.";

const replySystem =
  "You classify a reply to a sales email. " +
  `Answer with JSON: classification (one of ${replyClassNames.join(", ")}), confidence from 0 to 1, ` +
  "a short explanation and factors: the phrases that decided it, each with a signed impact.";

const contentSystem =
  "You write sales messages for a CRM user. Keep every fact given; invent no names, prices or dates. " +
  "Answer with JSON: subject (emails only, else null), body, and a short explanation of what you wrote.";

const channelWords = {
  email: "email",
  sms: "SMS (160 characters at most)",
  social: "social post (280 characters at most)",
};

function factorsOf(factors: { name: string; impact: number }[]): Factor[] {
  return factors.map((f) => ({ name: f.name, impact: f.impact }));
}

/** An SMS or social post cut to its limit at a word boundary, as the built-in engine does. */
function fitted(channel: keyof typeof channelLimits, subject: string | null, body: string) {
  const limit = channelLimits[channel];
  const cut = limit === null ? { text: body.trim(), truncated: false } : truncateAtWord(body.trim(), limit);
  return {
    subject: channel === "email" ? truncateAtWord((subject ?? "").trim(), subjectLimit).text || null : null,
    body: cut.text,
    characters: [...cut.text].length,
    limit,
    truncated: cut.truncated,
  };
}

/**
 * Workers AI for every capability, each falling back to the built-in engine. The built-in
 * engine still supplies what a language model does not do reliably: the emotions, key phrases
 * and urgency of a sentiment, a reply's suggested action, and the template's rendering (the
 * model rewrites the rendered draft, so no token reaches it unfilled).
 */
export function workersAiProviders(binding: AiBinding, options: WorkersAiOptions = {}): AiProviders {
  const modelId = options.model ?? defaultWorkersAiModel;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const workersai = createWorkersAI({ binding: binding as Ai });
  const engine: EngineInfo = { engine: "workers-ai", model: modelId, version: promptVersion };

  async function ask<T>(system: string, prompt: string, schema: z.ZodType<T>): Promise<T> {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Error(`Workers AI did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      const answer = generateText({
        model: workersai(modelId as Parameters<typeof workersai>[0]),
        system,
        prompt,
        output: Output.object({ schema }),
        temperature: 0,
        // A failure goes to the built-in engine at once rather than waiting on retries.
        maxRetries: 0,
        abortSignal: abort.signal,
      });
      const result = await Promise.race([answer, timeout]);
      return result.output as T;
    } finally {
      clearTimeout(timer);
    }
  }

  async function withFallback<T>(capability: string, viaModel: () => Promise<T>, builtin: () => T): Promise<T> {
    try {
      return await viaModel();
    } catch (error) {
      options.onFallback?.(capability, error);
      return builtin();
    }
  }

  return {
    sentiment: {
      analyse: (text) =>
        withFallback(
          "sentiment",
          async () => {
            const answer = await ask(sentimentSystem, `Text:\n"""\n${text}\n"""`, SentimentAnswerSchema);
            const signals = analyzeSentiment(text).result;
            return {
              result: {
                label: answer.label,
                score: answer.score,
                emotions: signals.emotions,
                keyPhrases: signals.keyPhrases,
                urgency: signals.urgency,
              },
              explanation: answer.explanation,
              factors: factorsOf(answer.factors),
              engine,
            };
          },
          () => analyzeSentiment(text),
        ),
    },
    classifyReply: {
      classify: (reply) =>
        withFallback(
          "reply_classification",
          async () => {
            const received = reply.receivedAt ? `Received: ${new Date(reply.receivedAt).toISOString()}\n` : "";
            const answer = await ask(
              replySystem,
              `${received}From: ${reply.from ?? ""}\nSubject: ${reply.subject ?? ""}\n\n"""\n${reply.text ?? ""}\n"""`,
              ReplyAnswerSchema,
            );
            const action = suggestedActionFor(answer.classification, reply);
            return {
              result: {
                classification: answer.classification,
                confidence: answer.confidence,
                probabilities: { [answer.classification]: answer.confidence },
                action,
                ownText: classifyReplyIntent(reply).result.ownText,
              },
              explanation: `${answer.explanation} ${action.description}`,
              factors: factorsOf(answer.factors),
              engine,
            };
          },
          () => classifyReplyIntent(reply),
        ),
    },
    content: {
      generate: (input) => {
        // Rendering the template first also checks its tokens (a ContentTemplateError is the caller's 422).
        const draft = generateContent(input);
        return withFallback(
          "content",
          async () => {
            const answer = await ask(
              contentSystem,
              `Write a ${input.tone} ${channelWords[input.channel]} from this draft.\n` +
                (draft.result.subject ? `Subject: ${draft.result.subject}\n` : "") +
                `Draft:\n"""\n${draft.result.body}\n"""`,
              MessageAnswerSchema,
            );
            return {
              result: { ...draft.result, ...fitted(input.channel, answer.subject, answer.body), changes: [] },
              explanation: answer.explanation,
              // The facts the draft carried still stand behind the text; the rule edits do not.
              factors: draft.factors.filter(
                (f) => draft.result.factsUsed.includes(f.name) || f.name.endsWith("(fallback)"),
              ),
              engine,
            };
          },
          () => draft,
        );
      },
      edit: (operation, draft, tone) =>
        withFallback(
          "content",
          async () => {
            const asked = {
              improve: `Improve this ${channelWords[draft.channel]} in a ${tone} tone: clearer, correct, one clear ask.`,
              shorten: `Shorten this ${channelWords[draft.channel]}; keep its facts and its ask.`,
              rewrite: `Rewrite this ${channelWords[draft.channel]} in a ${tone} tone.`,
            }[operation];
            const answer = await ask(
              contentSystem,
              `${asked}\n` + (draft.subject ? `Subject: ${draft.subject}\n` : "") + `Text:\n"""\n${draft.body}\n"""`,
              MessageAnswerSchema,
            );
            return {
              result: { channel: draft.channel, ...fitted(draft.channel, answer.subject, answer.body), changes: [] },
              explanation: answer.explanation,
              factors: [],
              engine,
            };
          },
          () => builtinEdit(operation, draft, tone),
        ),
    },
  };
}

/** Workers AI when the Worker has an `AI` binding, else the built-in engine. */
export function aiProvidersFor(binding: AiBinding | undefined, options: WorkersAiOptions = {}): AiProviders {
  return binding ? workersAiProviders(binding, options) : builtinProviders;
}
