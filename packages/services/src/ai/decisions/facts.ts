// The facts a next best action is decided from, read from D1 for many records at once: a few
// statements per chunk of records (ids in groups under D1's 100 bound parameters), not per record.
import type { ChurnLevel, RecordFacts, ScoreFacts, SequenceFacts, StageFacts, StoredReplyClass } from "@crm/ai";
import {
  activities,
  aiScores,
  contacts,
  deals,
  inboundEmails,
  leads,
  outreachMessages,
  pipelineStages,
  sequenceEnrollments,
  sequences,
  tasks,
} from "@crm/db";
import { and, desc, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import type { TenantContext } from "../../context";
import { chunk } from "../../records/insert-many";

export type RecommendationRecordType = "contact" | "lead" | "deal";
export type ContactRecordRow = typeof contacts.$inferSelect;
export type LeadRecordRow = typeof leads.$inferSelect;
export type DealRecordRow = typeof deals.$inferSelect;
export interface DecisionRows {
  contact: ContactRecordRow;
  lead: LeadRecordRow;
  deal: DealRecordRow;
}

/** A record's facts, with what the API shows beside the decision. */
export interface GatheredRecordFacts {
  facts: RecordFacts;
  /** The record's name as people read it (a contact's or lead's name or email, the deal's name). */
  name: string;
  /** Why no action is suggested whatever the facts say (a won deal, a converted lead); null when open. */
  closed: string | null;
  /** The due date of the oldest overdue open task. */
  overdueSince: Date | null;
}

/** D1 binds at most 100 parameters per statement. */
const idGroup = 90;

export async function inGroups<R>(ids: readonly string[], read: (group: string[]) => Promise<R[]>): Promise<R[]> {
  return (await Promise.all(chunk([...new Set(ids)], idGroup).map(read))).flat();
}

const latest = (a: Date | null | undefined, b: Date | null | undefined): Date | null =>
  a && (!b || a.getTime() > b.getTime()) ? a : (b ?? null);

const fromMs = (value: number | null | undefined): Date | null =>
  value === null || value === undefined ? null : new Date(Number(value));

interface AttachedSignals {
  lastActivityAt: Date | null;
  open: number;
  overdue: number;
  overdueSince: Date | null;
}

/** The last activity and the open and overdue tasks of records of one type. */
async function attachedSignals(
  ctx: TenantContext,
  recordType: RecommendationRecordType,
  ids: string[],
  now: Date,
): Promise<Map<string, AttachedSignals>> {
  const at = now.getTime();
  const [acts, openTasks] = await Promise.all([
    inGroups(ids, (group) =>
      ctx.db.aggregateQuery(
        activities,
        { recordId: activities.recordId, last: sql<number>`max(${activities.occurredAt})` },
        {
          where: and(eq(activities.recordType, recordType), inArray(activities.recordId, group)),
          groupBy: [activities.recordId],
        },
      ),
    ),
    inGroups(ids, (group) =>
      ctx.db.aggregateQuery(
        tasks,
        {
          recordId: tasks.recordId,
          open: sql<number>`count(*)`,
          overdue: sql<number>`sum(case when ${tasks.dueAt} < ${at} then 1 else 0 end)`,
          overdueSince: sql<number | null>`min(case when ${tasks.dueAt} < ${at} then ${tasks.dueAt} end)`,
        },
        {
          where: and(
            eq(tasks.recordType, recordType),
            inArray(tasks.recordId, group),
            inArray(tasks.status, ["open", "in_progress"]),
          ),
          groupBy: [tasks.recordId],
        },
      ),
    ),
  ]);
  const out = new Map<string, AttachedSignals>();
  const entry = (id: string) => {
    let e = out.get(id);
    if (!e) {
      e = { lastActivityAt: null, open: 0, overdue: 0, overdueSince: null };
      out.set(id, e);
    }
    return e;
  };
  for (const a of acts) entry(a.recordId).lastActivityAt = fromMs(a.last);
  for (const t of openTasks) {
    if (!t.recordId) continue;
    const e = entry(t.recordId);
    e.open = Number(t.open);
    e.overdue = Number(t.overdue ?? 0);
    e.overdueSince = fromMs(t.overdueSince);
  }
  return out;
}

interface ContactSignals {
  doNotContact: boolean;
  /** The last email sent to or received from the contact. */
  lastEmailAt: Date | null;
  lastReply: RecordFacts["lastReply"];
  sequence: SequenceFacts | null;
  score: RecordFacts["score"];
  churnRisk: RecordFacts["churnRisk"];
}

type InboundRow = typeof inboundEmails.$inferSelect;

/** The reply facts of an inbound email: the AI class when it has one (with its confidence), else the rule class. */
function replyFacts(row: InboundRow): NonNullable<RecordFacts["lastReply"]> {
  const returnDate = row.aiSuggestedAction?.resumeOn ?? null;
  return row.aiClassification
    ? {
        class: row.aiClassification as StoredReplyClass,
        at: row.receivedAt,
        confidence: row.aiConfidence,
        returnDate,
      }
    : { class: row.classification, at: row.receivedAt, returnDate: null };
}

const enrollmentRank = { active: 0, paused: 1, completed: 2, exited: 2, unenrolled: 2 } as const;

/** Emails, replies, the current sequence enrollment and the scores of contacts. */
async function contactSignals(ctx: TenantContext, rows: ContactRecordRow[]): Promise<Map<string, ContactSignals>> {
  const ids = rows.map((r) => r.id);
  const [sent, inbound, enrollments, scores] = await Promise.all([
    inGroups(ids, (group) =>
      ctx.db.aggregateQuery(
        outreachMessages,
        { contactId: outreachMessages.contactId, last: sql<number | null>`max(${outreachMessages.sentAt})` },
        { where: inArray(outreachMessages.contactId, group), groupBy: [outreachMessages.contactId] },
      ),
    ),
    inGroups(ids, (group) =>
      ctx.db.findMany(inboundEmails, {
        where: inArray(inboundEmails.contactId, group),
        orderBy: [desc(inboundEmails.receivedAt), desc(inboundEmails.id)],
      }),
    ),
    inGroups(ids, (group) =>
      ctx.db.findMany(sequenceEnrollments, { where: inArray(sequenceEnrollments.contactId, group) }),
    ),
    inGroups(ids, (group) =>
      ctx.db.findMany(aiScores, { where: and(eq(aiScores.recordType, "contact"), inArray(aiScores.recordId, group)) }),
    ),
  ]);
  const sequenceNames = new Map(
    (
      await inGroups(
        enrollments.map((e) => e.sequenceId),
        (group) => ctx.db.findMany(sequences, { where: inArray(sequences.id, group) }),
      )
    ).map((s) => [s.id, s.name]),
  );

  const out = new Map<string, ContactSignals>();
  for (const row of rows)
    out.set(row.id, {
      doNotContact: row.doNotContact,
      lastEmailAt: null,
      lastReply: null,
      sequence: null,
      score: null,
      churnRisk: null,
    });
  for (const m of sent) {
    const s = m.contactId ? out.get(m.contactId) : undefined;
    if (s) s.lastEmailAt = latest(fromMs(m.last), s.lastEmailAt);
  }
  // Newest first: the first reply seen per contact is its last.
  for (const reply of inbound) {
    const s = reply.contactId ? out.get(reply.contactId) : undefined;
    if (!s) continue;
    s.lastEmailAt = latest(reply.receivedAt, s.lastEmailAt);
    if (!s.lastReply) s.lastReply = replyFacts(reply);
  }
  // The enrollment that speaks for the contact: an active one, else a paused one, else the latest.
  const chosen = new Map<string, (typeof enrollments)[number]>();
  for (const e of enrollments) {
    const current = chosen.get(e.contactId);
    if (
      !current ||
      enrollmentRank[e.status] < enrollmentRank[current.status] ||
      (enrollmentRank[e.status] === enrollmentRank[current.status] && e.updatedAt > current.updatedAt)
    )
      chosen.set(e.contactId, e);
  }
  for (const [contactId, e] of chosen) {
    const s = out.get(contactId);
    if (!s) continue;
    s.sequence = {
      status: e.status,
      exitReason: e.exitReason,
      dueAt: e.dueAt,
      pausedAt: e.pausedAt,
      sequenceName: sequenceNames.get(e.sequenceId) ?? null,
    };
  }
  for (const score of scores) {
    const s = out.get(score.recordId);
    if (!s) continue;
    if (score.kind === "lead_score") s.score = { value: score.score, level: score.level as ScoreFacts["level"] };
    else s.churnRisk = { level: score.level as ChurnLevel, probability: score.probability };
  }
  return out;
}

function personName(first: string | null, last: string | null, fallback: string | null, what: string): string {
  const name = [first, last].filter(Boolean).join(" ").trim();
  return name || fallback || `Unnamed ${what}`;
}

/** The facts of contacts. */
async function contactFacts(ctx: TenantContext, rows: ContactRecordRow[], now: Date): Promise<GatheredRecordFacts[]> {
  const ids = rows.map((r) => r.id);
  const [attached, signals] = await Promise.all([attachedSignals(ctx, "contact", ids, now), contactSignals(ctx, rows)]);
  return rows.map((row) => {
    const a = attached.get(row.id);
    const s = signals.get(row.id)!;
    return {
      facts: {
        recordType: "contact",
        recordId: row.id,
        lastActivityAt: latest(a?.lastActivityAt, s.lastEmailAt),
        lastReply: s.lastReply,
        openTasks: { open: a?.open ?? 0, overdue: a?.overdue ?? 0 },
        score: s.score,
        churnRisk: s.churnRisk,
        sequence: s.sequence,
        doNotContact: row.doNotContact,
      },
      name: personName(row.firstName, row.lastName, row.primaryEmail, "contact"),
      closed: null,
      overdueSince: a?.overdueSince ?? null,
    };
  });
}

/** The facts of leads: their activities and tasks, and replies from the lead's address. */
async function leadFacts(ctx: TenantContext, rows: LeadRecordRow[], now: Date): Promise<GatheredRecordFacts[]> {
  const emails = rows.map((r) => r.email?.trim().toLowerCase()).filter((e): e is string => !!e);
  const ids = rows.map((r) => r.id);
  const [attached, replies, scores] = await Promise.all([
    attachedSignals(ctx, "lead", ids, now),
    inGroups(emails, (group) =>
      ctx.db.findMany(inboundEmails, {
        where: inArray(sql`lower(${inboundEmails.fromAddress})`, group),
        orderBy: [desc(inboundEmails.receivedAt), desc(inboundEmails.id)],
      }),
    ),
    // The lead's own stored score (leads are scored like contacts); churn risk is for customers only.
    inGroups(ids, (group) =>
      ctx.db.findMany(aiScores, {
        where: and(eq(aiScores.recordType, "lead"), eq(aiScores.kind, "lead_score"), inArray(aiScores.recordId, group)),
      }),
    ),
  ]);
  const scoreOf = new Map(
    scores.map((s) => [s.recordId, { value: s.score, level: s.level as ScoreFacts["level"] }] as const),
  );
  const lastReply = new Map<string, InboundRow>();
  for (const reply of replies) {
    const from = reply.fromAddress.toLowerCase();
    if (!lastReply.has(from)) lastReply.set(from, reply);
  }
  return rows.map((row) => {
    const a = attached.get(row.id);
    const reply = row.email ? lastReply.get(row.email.trim().toLowerCase()) : undefined;
    const closed = row.convertedAt
      ? "The lead was converted: its contact and deal carry the next steps."
      : row.stage === "lost"
        ? "The lead is lost: nothing to do on it."
        : null;
    return {
      facts: {
        recordType: "lead",
        recordId: row.id,
        lastActivityAt: latest(a?.lastActivityAt, reply?.receivedAt),
        lastReply: reply ? replyFacts(reply) : null,
        openTasks: { open: a?.open ?? 0, overdue: a?.overdue ?? 0 },
        score: scoreOf.get(row.id) ?? null,
      },
      name: personName(row.firstName, row.lastName, row.companyName ?? row.email, "lead"),
      closed,
      overdueSince: a?.overdueSince ?? null,
    };
  });
}

function stageFacts(row: typeof pipelineStages.$inferSelect): StageFacts {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    probability: row.probability,
    isWon: row.isWon,
    isLost: row.isLost,
    followUpDays: row.followUpDays,
    autoActions: row.autoActions,
  };
}

/** The facts of deals: their stage, activities and tasks, and their contact's emails, replies, sequence and scores. */
async function dealFacts(ctx: TenantContext, rows: DealRecordRow[], now: Date): Promise<GatheredRecordFacts[]> {
  const contactIds = rows.map((r) => r.contactId).filter((id): id is string => !!id);
  const [attached, stages, people] = await Promise.all([
    attachedSignals(
      ctx,
      "deal",
      rows.map((r) => r.id),
      now,
    ),
    inGroups(
      rows.map((r) => r.stageId),
      (group) => ctx.db.findMany(pipelineStages, { where: inArray(pipelineStages.id, group) }),
    ),
    inGroups(contactIds, (group) => ctx.db.findMany(contacts, { where: inArray(contacts.id, group) })),
  ]);
  const signals = await contactSignals(ctx, people);
  const stageById = new Map(stages.map((s) => [s.id, s]));
  return rows.map((row) => {
    const a = attached.get(row.id);
    const s = row.contactId ? signals.get(row.contactId) : undefined;
    const stage = stageById.get(row.stageId);
    const closed =
      row.status === "won"
        ? "The deal is won: nothing to do on it."
        : row.status === "lost"
          ? "The deal is lost: nothing to do on it."
          : null;
    return {
      facts: {
        recordType: "deal",
        recordId: row.id,
        lastActivityAt: latest(a?.lastActivityAt, s?.lastEmailAt),
        lastReply: s?.lastReply ?? null,
        openTasks: { open: a?.open ?? 0, overdue: a?.overdue ?? 0 },
        deal: stage
          ? {
              status: row.status,
              stage: stageFacts(stage),
              stageEnteredAt: row.stageEnteredAt,
              nextActionAt: row.nextActionAt,
            }
          : null,
        score: s?.score ?? null,
        churnRisk: s?.churnRisk ?? null,
        sequence: s?.sequence ?? null,
        doNotContact: s?.doNotContact ?? false,
      },
      name: row.name,
      closed,
      overdueSince: a?.overdueSince ?? null,
    };
  });
}

/** The facts of records of one type, in the order given. */
export async function gatherRecordFacts<T extends RecommendationRecordType>(
  ctx: TenantContext,
  recordType: T,
  rows: DecisionRows[T][],
  now: Date,
): Promise<GatheredRecordFacts[]> {
  if (rows.length === 0) return [];
  if (recordType === "contact") return contactFacts(ctx, rows as ContactRecordRow[], now);
  if (recordType === "lead") return leadFacts(ctx, rows as LeadRecordRow[], now);
  return dealFacts(ctx, rows as DealRecordRow[], now);
}

/** The table of each record type, and which of its records generation visits (open ones). */
export const decisionRecordTables = { contact: contacts, lead: leads, deal: deals } as const;

export function openDecisionRecordsCondition(recordType: RecommendationRecordType) {
  if (recordType === "lead") return and(isNull(leads.convertedAt), notInArray(leads.stage, ["lost", "customer"]));
  if (recordType === "deal") return inArray(deals.status, ["active", "paused"]);
  return undefined;
}
