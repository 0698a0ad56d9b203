import type { DelayUnit, ExitRules, Sequence, SendWindow, StepChannel, StepVariant } from "./types";

/**
 * What the sequence editor holds while someone edits: the sequence's fields and its steps in
 * order, each with a key of its own for the list (a new step has no id until saved). The API
 * body is the same shape with steps inline; a saved step keeps its id so its sends and stats
 * stay attached.
 */
export interface StepDraft {
  key: string;
  id: string | null;
  channel: StepChannel;
  delayAmount: number;
  delayUnit: DelayUnit;
  aiPersonalise: boolean;
  variants: StepVariant[];
}

export interface SequenceDraft {
  name: string;
  description: string;
  mailboxId: string;
  defaultTimeZone: string;
  sendWindow: SendWindow;
  exitRules: ExitRules;
  steps: StepDraft[];
}

let counter = 0;
const newKey = () => `step-${++counter}`;

export const defaultExitRules: ExitRules = {
  onReply: true,
  onBounce: true,
  onUnsubscribe: true,
  onDealWon: true,
  onMeetingBooked: true,
};

export function newStep(position: number): StepDraft {
  return {
    key: newKey(),
    id: null,
    channel: "email",
    delayAmount: position === 1 ? 0 : 2,
    delayUnit: position === 1 ? "hours" : "business_days",
    aiPersonalise: false,
    variants: [{ key: "A", weight: 100, subject: "", body: "" }],
  };
}

export function draftOf(sequence: Sequence | null, browserTimeZone = "UTC"): SequenceDraft {
  if (!sequence) {
    return {
      name: "",
      description: "",
      mailboxId: "",
      defaultTimeZone: browserTimeZone,
      sendWindow: { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" },
      exitRules: { ...defaultExitRules },
      steps: [newStep(1)],
    };
  }
  return {
    name: sequence.name,
    description: sequence.description ?? "",
    mailboxId: sequence.mailboxId ?? "",
    defaultTimeZone: sequence.defaultTimeZone,
    sendWindow: { ...sequence.sendWindow, days: [...sequence.sendWindow.days] },
    exitRules: { ...defaultExitRules, ...sequence.exitRules },
    steps: [...sequence.steps]
      .sort((a, b) => a.position - b.position)
      .map((step) => ({
        key: newKey(),
        id: step.id,
        channel: step.channel,
        delayAmount: step.delayAmount,
        delayUnit: step.delayUnit,
        aiPersonalise: step.aiPersonalise,
        variants: step.variants.map((variant) => ({ ...variant, subject: variant.subject ?? "" })),
      })),
  };
}

/** The next free variant letter: A, B, C … */
export function nextVariantKey(variants: readonly StepVariant[]): string {
  for (let code = 65; code < 91; code += 1) {
    const key = String.fromCharCode(code);
    if (!variants.some((variant) => variant.key === key)) return key;
  }
  return `V${variants.length + 1}`;
}

/** Weights spread evenly over the variants (summing to 100), the first ones taking the remainder. */
export function evenWeights(count: number): number[] {
  const base = Math.floor(100 / count);
  return Array.from({ length: count }, (_, i) => base + (i < 100 - base * count ? 1 : 0));
}

/** The body POST /sequences and PATCH /sequences/{id} take. */
export function sequenceBody(draft: SequenceDraft) {
  return {
    name: draft.name.trim(),
    description: draft.description.trim() || null,
    mailboxId: draft.mailboxId || null,
    defaultTimeZone: draft.defaultTimeZone,
    sendWindow: { ...draft.sendWindow, days: [...draft.sendWindow.days].sort((a, b) => a - b) },
    exitRules: draft.exitRules,
    steps: draft.steps.map((step) => ({
      ...(step.id ? { id: step.id } : {}),
      channel: step.channel,
      delayAmount: step.delayAmount,
      delayUnit: step.delayUnit,
      aiPersonalise: step.aiPersonalise,
      variants: step.variants.map((variant) => ({
        key: variant.key,
        weight: variant.weight,
        // Text messages and calls have no subject.
        ...(step.channel === "email" ? { subject: variant.subject ?? "" } : {}),
        body: variant.body,
      })),
    })),
  };
}
