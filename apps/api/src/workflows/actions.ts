// What each action does, given the run's record as the API shows it now. An action returns
// its output for the history, asks the run to wait, or throws (the step and run fail with
// the message).
import { contacts, type Database, memberships, notifications, newId, users, workflowRoundRobin } from "@crm/db";
import {
  DevOutboxTransport,
  enrollContacts,
  signedHeaders,
  type TenantContext,
  urlPolicyFor,
  type WorkflowRecord,
  type WorkflowRow,
  webhookUrlProblem,
} from "@crm/services";
import { renderTokens, type WorkflowAction, type WorkflowObject, waitResumeAt } from "@crm/workflows";
import { eq, sql } from "drizzle-orm";
import { bodyFor, createRecord, updateRecord } from "./writers";

export interface ActionRun {
  ctx: TenantContext;
  database: Database;
  environment: string | undefined;
  workflow: WorkflowRow;
  executionId: string;
  version: number;
  index: number;
  object: WorkflowObject;
  record: WorkflowRecord | null;
  now: Date;
}

export type ActionResult =
  { kind: "done"; output: Record<string, unknown> } | { kind: "wait"; resumeAt: Date; output: Record<string, unknown> };

/** call_webhook's answer time limit, as for webhooks. */
export const callTimeoutMs = 10_000;

const done = (output: Record<string, unknown>): ActionResult => ({ kind: "done", output });

function needRecord(run: ActionRun): WorkflowRecord {
  if (!run.record)
    throw new Error(`This action needs a ${run.object}; the run has none (it was deleted, or none was given)`);
  return run.record;
}

const render = (text: string, record: WorkflowRecord | null) => renderTokens(text, record ?? {});
const ownerField = (object: WorkflowObject) => (object === "task" ? "assigneeId" : "ownerId");

function ownerOf(run: ActionRun): string {
  const record = needRecord(run);
  const owner = (record[ownerField(run.object)] ?? record.ownerId) as string | null;
  if (!owner) throw new Error(`The ${run.object} has no owner`);
  return owner;
}

async function memberEmail(run: ActionRun, userId: string): Promise<string> {
  const member = await run.ctx.db.findFirst(memberships, eq(memberships.userId, userId));
  const user = member && (await run.database.select({ email: users.email }).from(users).where(eq(users.id, userId)))[0];
  if (!user) throw new Error(`${userId} is not a member of this organization`);
  return user.email;
}

async function sendMail(run: ActionRun, to: string, subject: string, text: string, suffix = "") {
  const sent = await new DevOutboxTransport(run.database).send({
    tenantId: run.ctx.tenant.id,
    kind: "workflow",
    to,
    subject,
    text,
    // A redelivered run message sends the same mail once.
    dedupeKey: `workflow:${run.executionId}:${run.index}${suffix}`,
  });
  return sent.messageId;
}

async function recordAddress(run: ActionRun): Promise<string> {
  const record = needRecord(run);
  const primaryOf = (emails: unknown) =>
    (emails as { address: string; primary: boolean }[] | undefined)?.find((e) => e.primary)?.address ?? null;
  let address: string | null = null;
  if (run.object === "contact") address = primaryOf(record.emails);
  else if (run.object === "lead") address = (record.email as string | null) ?? null;
  else if (run.object === "deal" && record.contactId) {
    const contact = await run.ctx.db.findFirst(contacts, eq(contacts.id, record.contactId as string));
    address = contact?.primaryEmail ?? null;
  }
  if (!address) throw new Error(`The ${run.object} has no email address to send to`);
  return address;
}

/** The link a created record gets to the run's record, where its object has one. */
function linkFields(run: ActionRun, target: WorkflowObject): Record<string, unknown> {
  if (!run.record) return {};
  if (target === "task") return { recordType: run.object, recordId: run.record.id };
  if (target === "deal" && run.object === "contact") return { contactId: run.record.id };
  if ((target === "deal" || target === "contact") && run.object === "company") return { companyId: run.record.id };
  return {};
}

async function roundRobinPick(run: ActionRun, userIds: string[]): Promise<string> {
  const [row] = await run.ctx.db
    .insertQuery(workflowRoundRobin, { workflowId: run.workflow.id, actionIndex: run.index, position: 1 })
    .onConflictDoUpdate({
      target: [workflowRoundRobin.tenantId, workflowRoundRobin.workflowId, workflowRoundRobin.actionIndex],
      set: { position: sql`${workflowRoundRobin.position} + 1` },
    })
    .returning({ position: workflowRoundRobin.position });
  return userIds[((row?.position ?? 1) - 1) % userIds.length]!;
}

async function callWebhook(run: ActionRun, url: string): Promise<ActionResult> {
  const problem = webhookUrlProblem(url, urlPolicyFor(run.environment));
  if (problem) throw new Error(`Refused: ${problem}`);
  const messageId = `${run.executionId}_${run.index}`;
  const payload = JSON.stringify({
    type: "workflow.webhook",
    timestamp: run.now.toISOString(),
    data: {
      workflowId: run.workflow.id,
      executionId: run.executionId,
      version: run.version,
      step: run.index,
      recordType: run.object,
      record: run.record,
    },
  });
  const started = Date.now();
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "crm-workflows/1",
        ...signedHeaders(messageId, run.now, payload, [run.workflow.signingSecret]),
      },
      body: payload,
      redirect: "manual",
      signal: AbortSignal.timeout(callTimeoutMs),
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    throw new Error(
      name === "TimeoutError" || name === "AbortError"
        ? `Timed out after ${callTimeoutMs / 1000} s`
        : `Network error: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  await response.body?.cancel();
  if (response.status < 200 || response.status >= 300) throw new Error(`The receiver answered HTTP ${response.status}`);
  return done({ url, statusCode: response.status, webhookId: messageId, durationMs: Date.now() - started });
}

export async function runAction(action: WorkflowAction, run: ActionRun): Promise<ActionResult> {
  const { ctx, object } = run;
  switch (action.type) {
    case "update_field": {
      const record = needRecord(run);
      const value = typeof action.value === "string" ? render(action.value, record) : action.value;
      await updateRecord(ctx, object, record.id, bodyFor({ [action.field]: value }));
      return done({ field: action.field, value });
    }
    case "create_task": {
      const assigneeId = action.assignee.kind === "user" ? action.assignee.userId : run.record ? ownerOf(run) : null;
      const task = await createRecord(ctx, "task", {
        title: render(action.title, run.record),
        ...(action.description ? { description: render(action.description, run.record) } : {}),
        dueAt: new Date(run.now.getTime() + action.dueInDays * 86_400_000).toISOString(),
        priority: action.priority,
        assigneeId,
        ...linkFields(run, "task"),
      });
      return done({ taskId: task.id, assigneeId });
    }
    case "assign": {
      const record = needRecord(run);
      const userId = action.mode === "user" ? action.userId : await roundRobinPick(run, action.userIds);
      await updateRecord(ctx, object, record.id, { [ownerField(object)]: userId });
      return done({ userId });
    }
    case "add_tag":
    case "remove_tag": {
      const record = needRecord(run);
      const tags = (record.tags as string[] | undefined) ?? [];
      const has = tags.some((t) => t.toLowerCase() === action.tag.toLowerCase());
      const adding = action.type === "add_tag";
      if (has === adding) return done({ tag: action.tag, changed: false });
      const next = adding ? [...tags, action.tag] : tags.filter((t) => t.toLowerCase() !== action.tag.toLowerCase());
      await updateRecord(ctx, object, record.id, { tags: next });
      return done({ tag: action.tag, changed: true });
    }
    case "send_email": {
      const to =
        action.to.kind === "address"
          ? action.to.address
          : action.to.kind === "owner"
            ? await memberEmail(run, ownerOf(run))
            : await recordAddress(run);
      const messageId = await sendMail(run, to, render(action.subject, run.record), render(action.body, run.record));
      return done({ to, messageId });
    }
    case "notify": {
      const userId = action.recipient.kind === "user" ? action.recipient.userId : ownerOf(run);
      const email = await memberEmail(run, userId);
      const message = render(action.message, run.record);
      const id = newId("notification");
      await ctx.db
        .insertQuery(notifications, {
          id,
          userId,
          message,
          recordType: run.record ? object : null,
          recordId: run.record?.id ?? null,
          workflowId: run.workflow.id,
          executionId: run.executionId,
          readAt: null,
          createdAt: run.now,
        })
        .onConflictDoNothing();
      const mailed = action.email
        ? await sendMail(run, email, `Notification: ${run.workflow.name}`, message, ":notify")
        : null;
      return done({ notificationId: id, userId, ...(mailed ? { emailMessageId: mailed } : {}) });
    }
    case "call_webhook":
      return callWebhook(run, action.url);
    case "create_record": {
      const fields = Object.fromEntries(
        Object.entries(action.fields).map(([k, v]) => [k, typeof v === "string" ? render(v, run.record) : v]),
      );
      const created = await createRecord(ctx, action.object, { ...linkFields(run, action.object), ...bodyFor(fields) });
      return done({ recordType: action.object, recordId: created.id });
    }
    case "enroll_in_sequence": {
      const record = needRecord(run);
      const contactId = object === "contact" ? record.id : ((record.contactId as string | null | undefined) ?? null);
      if (!contactId) throw new Error(`The ${object} has no contact to enroll`);
      const [result] = await enrollContacts(ctx, {
        sequenceId: action.sequenceId,
        contactIds: [contactId],
        source: "workflow",
        enrolledBy: run.workflow.id,
        now: run.now,
      });
      return done({ sequenceId: action.sequenceId, ...result! });
    }
    case "wait": {
      const resumeAt = waitResumeAt(action, run.record ?? {}, run.now);
      if (!resumeAt)
        throw new Error(`${action.mode === "until_field" ? action.field : "The date"} is empty: nothing to wait for`);
      if (resumeAt <= run.now) return done({ resumeAt: resumeAt.toISOString(), waited: false });
      return { kind: "wait", resumeAt, output: { resumeAt: resumeAt.toISOString() } };
    }
    default:
      throw new Error("Unknown action");
  }
}
