import {
  mailboxes,
  newId,
  type SendWindow,
  type SequenceExitRules,
  sequenceEnrollments,
  sequences,
  sequenceSteps,
  type StepChannel,
  type StepVariant,
} from "@crm/db";
import { ApiError, type FieldError } from "@crm/errors";
import { isTimeZone, sendWindowProblems, templateProblems, variantProblems } from "@crm/outreach";
import type { BatchItem } from "drizzle-orm/batch";
import { and, asc, desc, eq, inArray, isNull, lt } from "drizzle-orm";
import { auditQuery } from "../audit";
import type { TenantContext } from "../context";
import { customFieldDefinitionsFor } from "../records/custom-fields";
import { containsText } from "../lists";

export type SequenceRow = typeof sequences.$inferSelect;
export type SequenceStepRow = typeof sequenceSteps.$inferSelect;

export const defaultSendWindow: SendWindow = { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" };
export const defaultExitRules: SequenceExitRules = {
  onReply: true,
  onBounce: true,
  onUnsubscribe: true,
  onDealWon: true,
  onMeetingBooked: true,
};

export interface VariantInput {
  key: string;
  weight: number;
  subject?: string | null | undefined;
  body: string;
}

export interface StepInput {
  /** An existing step's id: that step is kept (and changed in place). */
  id?: string | undefined;
  channel?: StepChannel | undefined;
  delayAmount?: number | undefined;
  delayUnit?: "hours" | "days" | "business_days" | undefined;
  aiPersonalise?: boolean | undefined;
  variants: VariantInput[];
}

export interface SequenceInput {
  name: string;
  description?: string | null | undefined;
  status?: "active" | "paused" | undefined;
  mailboxId?: string | null | undefined;
  sendWindow?: SendWindow | undefined;
  defaultTimeZone?: string | undefined;
  exitRules?: Partial<SequenceExitRules> | undefined;
  steps: StepInput[];
}

export type SequenceUpdate = Partial<SequenceInput>;

export function publicStep(row: SequenceStepRow) {
  return {
    id: row.id,
    position: row.position,
    channel: row.channel,
    delayAmount: row.delayAmount,
    delayUnit: row.delayUnit,
    aiPersonalise: row.aiPersonalise,
    variants: row.variants.map((v) => ({
      key: v.key,
      weight: v.weight,
      subject: v.subject ?? null,
      body: v.body,
    })),
  };
}

export function publicSequence(row: SequenceRow, steps: SequenceStepRow[]) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    mailboxId: row.mailboxId,
    sendWindow: row.sendWindow,
    defaultTimeZone: row.defaultTimeZone,
    exitRules: { ...defaultExitRules, ...row.exitRules },
    steps: steps.map(publicStep),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicSequence = ReturnType<typeof publicSequence>;

/** The sequence if it exists (not deleted) in the tenant; 404 otherwise. */
export async function findSequence(ctx: TenantContext, id: string): Promise<SequenceRow> {
  const row = await ctx.db.findFirst(sequences, and(eq(sequences.id, id), isNull(sequences.deletedAt))!);
  if (!row) throw new ApiError("NOT_FOUND", `Sequence ${id} was not found`);
  return row;
}

/** The sequence's live steps, in order. */
export async function liveSteps(ctx: TenantContext, sequenceId: string): Promise<SequenceStepRow[]> {
  return ctx.db.findMany(sequenceSteps, {
    where: and(eq(sequenceSteps.sequenceId, sequenceId), isNull(sequenceSteps.deletedAt)),
    orderBy: asc(sequenceSteps.position),
  });
}

export async function getSequence(ctx: TenantContext, id: string) {
  const row = await findSequence(ctx, id);
  return publicSequence(row, await liveSteps(ctx, id));
}

export interface SequenceListFilters {
  limit: number;
  cursor?: string | undefined;
  q?: string | undefined;
  status?: SequenceRow["status"] | undefined;
}

export async function listSequences(ctx: TenantContext, filters: SequenceListFilters) {
  const q = filters.q?.trim();
  const rows = await ctx.db.findMany(sequences, {
    where: and(
      isNull(sequences.deletedAt),
      filters.cursor ? lt(sequences.id, filters.cursor) : undefined,
      filters.status ? eq(sequences.status, filters.status) : undefined,
      q ? containsText(sequences.name, q) : undefined,
    ),
    orderBy: desc(sequences.id),
    limit: filters.limit + 1,
  });
  const page = rows.slice(0, filters.limit);
  const steps =
    page.length === 0
      ? []
      : await ctx.db.findMany(sequenceSteps, {
          where: and(
            inArray(
              sequenceSteps.sequenceId,
              page.map((r) => r.id),
            ),
            isNull(sequenceSteps.deletedAt),
          ),
          orderBy: asc(sequenceSteps.position),
        });
  return {
    data: page.map((row) =>
      publicSequence(
        row,
        steps.filter((s) => s.sequenceId === row.id),
      ),
    ),
    nextCursor: rows.length > filters.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/**
 * 422 listing every problem at its body path: unknown tokens (`body.steps.1.variants.0.body`),
 * a subject missing on an email variant, weights not summing to 100, a window that never opens,
 * an unknown time zone or mailbox.
 */
async function checkSequence(
  ctx: TenantContext,
  input: { sendWindow: SendWindow; defaultTimeZone: string; mailboxId: string | null; steps: StepInput[] },
): Promise<void> {
  const errors: FieldError[] = [];
  const customKeys = (await customFieldDefinitionsFor(ctx, "contact")).map((d) => d.key);
  for (const problem of sendWindowProblems(input.sendWindow))
    errors.push({ path: `body.sendWindow.${problem.field}`, message: problem.message });
  if (!isTimeZone(input.defaultTimeZone))
    errors.push({ path: "body.defaultTimeZone", message: `Unknown time zone ${input.defaultTimeZone}` });
  input.steps.forEach((step, i) => {
    for (const problem of variantProblems(step.variants))
      errors.push({ path: `body.steps.${i}.variants.${problem.path}`, message: problem.message });
    step.variants.forEach((variant, j) => {
      const at = `body.steps.${i}.variants.${j}`;
      if ((step.channel ?? "email") === "email" && !variant.subject?.trim())
        errors.push({ path: `${at}.subject`, message: "An email needs a subject" });
      for (const field of ["subject", "body"] as const) {
        const text = variant[field];
        if (!text) continue;
        for (const problem of templateProblems(text, { contactCustomFields: customKeys }))
          errors.push({ path: `${at}.${field}`, message: problem.message });
      }
    });
  });
  if (input.mailboxId) {
    const mailbox = await ctx.db.findFirst(
      mailboxes,
      and(eq(mailboxes.id, input.mailboxId), isNull(mailboxes.deletedAt))!,
    );
    if (!mailbox) errors.push({ path: "body.mailboxId", message: `Mailbox ${input.mailboxId} was not found` });
  }
  if (errors.length > 0) throw new ApiError("VALIDATION_FAILED", "The sequence has invalid fields", { errors });
}

function stepContent(step: {
  channel: string;
  delayAmount: number;
  delayUnit: string;
  aiPersonalise: boolean;
  variants: StepVariant[];
}) {
  return JSON.stringify([step.channel, step.delayAmount, step.delayUnit, step.aiPersonalise, step.variants]);
}

function normalisedStep(step: StepInput) {
  return {
    channel: step.channel ?? "email",
    delayAmount: step.delayAmount ?? 0,
    delayUnit: step.delayUnit ?? "days",
    aiPersonalise: step.aiPersonalise ?? false,
    variants: step.variants.map((v) => ({
      key: v.key,
      weight: v.weight,
      ...(v.subject === undefined || v.subject === null ? {} : { subject: v.subject }),
      body: v.body,
    })),
  } as const;
}

/**
 * The statements that make `steps` the sequence's live steps, in order: a step given with its
 * id, or identical to a current step, keeps that id; current steps left out are retired
 * (kept for the messages and stats that name them).
 */
function stepQueries(
  ctx: TenantContext,
  sequenceId: string,
  current: SequenceStepRow[],
  steps: StepInput[],
  now: Date,
): { queries: BatchItem<"sqlite">[]; rows: SequenceStepRow[]; retired: string[] } {
  const unclaimed = new Map(current.map((s) => [s.id, s]));
  const errors: FieldError[] = [];
  // Ids given explicitly first, so an identical step elsewhere cannot take them.
  steps.forEach((step, i) => {
    if (step.id && !unclaimed.has(step.id))
      errors.push({ path: `body.steps.${i}.id`, message: `Step ${step.id} is not a step of this sequence` });
    else if (step.id) unclaimed.delete(step.id);
  });
  if (errors.length > 0) throw new ApiError("VALIDATION_FAILED", "The sequence has invalid fields", { errors });
  const queries: BatchItem<"sqlite">[] = [];
  const rows: SequenceStepRow[] = [];
  steps.forEach((input, i) => {
    const step = normalisedStep(input);
    let existing = input.id ? current.find((s) => s.id === input.id) : undefined;
    if (!existing) {
      existing = [...unclaimed.values()].find((s) => stepContent(s) === stepContent(step));
      if (existing) unclaimed.delete(existing.id);
    }
    const position = i + 1;
    if (existing) {
      const row = { ...existing, ...step, position, variants: [...step.variants] };
      rows.push(row);
      if (stepContent(existing) !== stepContent(step) || existing.position !== position)
        queries.push(
          ctx.db.updateQuery(
            sequenceSteps,
            { ...step, variants: [...step.variants], position, updatedAt: now },
            eq(sequenceSteps.id, existing.id),
          ),
        );
      return;
    }
    const row: SequenceStepRow = {
      id: newId("sequenceStep"),
      tenantId: ctx.tenant.id,
      sequenceId,
      position,
      ...step,
      variants: [...step.variants],
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    rows.push(row);
    const { tenantId: _t, ...values } = row;
    queries.push(ctx.db.insertQuery(sequenceSteps, values));
  });
  const retired = [...unclaimed.keys()];
  if (retired.length > 0)
    queries.push(
      ctx.db.updateQuery(sequenceSteps, { deletedAt: now, updatedAt: now }, inArray(sequenceSteps.id, retired)),
    );
  return { queries, rows, retired };
}

export async function createSequence(ctx: TenantContext, input: SequenceInput) {
  const now = new Date();
  const sendWindow = input.sendWindow ?? defaultSendWindow;
  const defaultTimeZone = input.defaultTimeZone ?? "UTC";
  const mailboxId = input.mailboxId ?? null;
  await checkSequence(ctx, { sendWindow, defaultTimeZone, mailboxId, steps: input.steps });
  const row: SequenceRow = {
    id: newId("sequence"),
    tenantId: ctx.tenant.id,
    name: input.name.trim(),
    description: input.description?.trim() || null,
    status: input.status ?? "active",
    mailboxId,
    sendWindow,
    defaultTimeZone,
    exitRules: { ...defaultExitRules, ...input.exitRules },
    createdBy: ctx.actor.id,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  const steps = stepQueries(ctx, row.id, [], input.steps, now);
  const { tenantId: _t, ...values } = row;
  const created = publicSequence(row, steps.rows);
  await ctx.db.batch([
    ctx.db.insertQuery(sequences, values),
    ...steps.queries,
    auditQuery(ctx, { action: "create", entity: "sequence", entityId: row.id, after: created }),
  ] as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return created;
}

/**
 * Changes a sequence; `steps`, when given, replaces the steps (see stepQueries). Live
 * enrollments waiting on a retired step move to the step now at its position, or complete
 * when the sequence got shorter.
 */
export async function updateSequence(ctx: TenantContext, id: string, input: SequenceUpdate) {
  const before = await findSequence(ctx, id);
  const currentSteps = await liveSteps(ctx, id);
  const now = new Date();
  const after: SequenceRow = {
    ...before,
    name: input.name?.trim() ?? before.name,
    description: input.description === undefined ? before.description : input.description?.trim() || null,
    status: input.status ?? before.status,
    mailboxId: input.mailboxId === undefined ? before.mailboxId : input.mailboxId,
    sendWindow: input.sendWindow ?? before.sendWindow,
    defaultTimeZone: input.defaultTimeZone ?? before.defaultTimeZone,
    exitRules: { ...defaultExitRules, ...before.exitRules, ...input.exitRules },
    updatedAt: now,
  };
  await checkSequence(ctx, {
    sendWindow: after.sendWindow,
    defaultTimeZone: after.defaultTimeZone,
    mailboxId: after.mailboxId,
    steps: input.steps ?? currentSteps,
  });
  const steps = input.steps
    ? stepQueries(ctx, id, currentSteps, input.steps, now)
    : { queries: [], rows: currentSteps, retired: [] };
  const queries: BatchItem<"sqlite">[] = [
    ctx.db.updateQuery(
      sequences,
      {
        name: after.name,
        description: after.description,
        status: after.status,
        mailboxId: after.mailboxId,
        sendWindow: after.sendWindow,
        defaultTimeZone: after.defaultTimeZone,
        exitRules: after.exitRules,
        updatedAt: now,
      },
      eq(sequences.id, id),
    ),
    ...steps.queries,
  ];
  for (const retiredId of steps.retired) {
    const position = currentSteps.find((s) => s.id === retiredId)!.position;
    const successor = steps.rows[position - 1] ?? null;
    queries.push(
      ctx.db.updateQuery(
        sequenceEnrollments,
        successor
          ? { nextStepId: successor.id, updatedAt: now }
          : { status: "completed", nextStepId: null, dueAt: null, endedAt: now, updatedAt: now },
        and(
          eq(sequenceEnrollments.sequenceId, id),
          eq(sequenceEnrollments.nextStepId, retiredId),
          inArray(sequenceEnrollments.status, ["active", "paused"]),
        )!,
      ),
    );
  }
  const result = publicSequence(after, steps.rows);
  queries.push(
    auditQuery(ctx, {
      action: "update",
      entity: "sequence",
      entityId: id,
      before: publicSequence(before, currentSteps),
      after: result,
    }),
  );
  await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return result;
}

/** Deletes a sequence: its live enrollments end (reason sequence_archived); sent messages stay. */
export async function deleteSequence(ctx: TenantContext, id: string): Promise<void> {
  const before = await findSequence(ctx, id);
  const now = new Date();
  await ctx.db.batch([
    ctx.db.updateQuery(sequences, { deletedAt: now, status: "archived", updatedAt: now }, eq(sequences.id, id)),
    ctx.db.updateQuery(
      sequenceEnrollments,
      { status: "exited", exitReason: "sequence_archived", dueAt: null, endedAt: now, updatedAt: now },
      and(eq(sequenceEnrollments.sequenceId, id), inArray(sequenceEnrollments.status, ["active", "paused"]))!,
    ),
    auditQuery(ctx, {
      action: "delete",
      entity: "sequence",
      entityId: id,
      before: publicSequence(before, await liveSteps(ctx, id)),
    }),
  ]);
}
