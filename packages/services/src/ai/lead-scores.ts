import { activities, aiScores, leads, notes, outreachMessages, tasks } from "@crm/db";
import type { LeadSignals } from "@crm/ai";
import { ApiError } from "@crm/errors";
import type { BatchItem } from "drizzle-orm/batch";
import { and, asc, eq, gt, inArray, isNotNull, type SQL, sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import { applyLeadInput } from "../leads/input";
import type { LeadRow } from "../leads/serialize";
import { findVisibleLead, leadSaveQueries } from "../leads/write";
import { customFieldDefinitionsFor } from "../records/custom-fields";
import { chunk } from "../records/insert-many";
import {
  type AiScoreRow,
  emptyScore,
  type LeadScoreSubject,
  leadScoreRow,
  type LeadScoringSetup,
  leadScoringSetup,
  publicScore,
  type PublicScore,
  scoreHistory,
  storedScore,
} from "./scores";

/**
 * Leads are scored by the same rules and the same tenant model as contacts. The model learnt
 * from contacts, so a lead is shown to it under the contacts' field names where the two share
 * a meaning; these are the standard ones a lead has (custom fields join them as `cf.<key>`).
 */
const leadReadableStandardFields = [
  "title",
  "source",
  "lifecycleStage",
  "emailDomain",
  "hasPhone",
  "hasCompany",
  "tagCount",
  "createdAt",
] as const;

/** The lead scoring setup plus the fields a model can read on this tenant's leads. */
export interface LeadRecordScoringSetup extends LeadScoringSetup {
  leadFields: ReadonlySet<string>;
}

export async function leadRecordScoringSetup(ctx: TenantContext): Promise<LeadRecordScoringSetup> {
  const [setup, definitions] = await Promise.all([leadScoringSetup(ctx), customFieldDefinitionsFor(ctx, "lead")]);
  return {
    ...setup,
    leadFields: new Set([...leadReadableStandardFields, ...definitions.map((d) => `cf.${d.key}`)]),
  };
}

/** A lead as the tenant's (contact-trained) model reads it. */
export function leadFeatureRow(lead: LeadRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    title: lead.title,
    source: lead.source,
    lifecycleStage: lead.stage,
    emailDomain: lead.email?.split("@")[1] ?? null,
    hasPhone: lead.phone !== null,
    hasCompany: lead.companyName !== null || lead.companyDomain !== null,
    tagCount: lead.tags.length,
    createdAt: lead.createdAt.toISOString(),
  };
  for (const [key, value] of Object.entries(lead.customFields)) {
    out[`cf.${key}`] = Array.isArray(value) ? [...value].sort().join("; ") : value;
  }
  return out;
}

/** What completeness and ICP rules judge on a lead: the contacts' profile names, and the lead's own fields. */
export function leadProfile(lead: LeadRow): Record<string, unknown> {
  return {
    ...leadFeatureRow(lead),
    email: lead.email,
    phone: lead.phone,
    firstName: lead.firstName,
    lastName: lead.lastName,
    company: lead.companyName ?? lead.companyDomain,
    companyName: lead.companyName,
    companyDomain: lead.companyDomain,
    jobTitle: lead.title,
    stage: lead.stage,
    estimatedValue: lead.estimatedValue,
  };
}

function leadSubject(lead: LeadRow, setup: LeadRecordScoringSetup): LeadScoreSubject {
  return {
    recordType: "lead",
    id: lead.id,
    featureRow: leadFeatureRow(lead),
    stage: lead.stage,
    readableFields: setup.leadFields,
  };
}

/** D1 binds at most 100 parameters per statement. */
const idGroup = 90;

/**
 * Engagement of many leads at once: their activities (calls, meetings, logged emails, notes),
 * notes and completed tasks on the lead, and outreach emails sent to the lead's address.
 */
export async function leadSignalsOf(ctx: TenantContext, rows: LeadRow[]): Promise<Map<string, LeadSignals>> {
  const ids = rows.map((r) => r.id);
  const addresses = [...new Set(rows.flatMap((r) => (r.email ? [r.email.toLowerCase()] : [])))];
  const onLeads = <T extends typeof notes | typeof activities | typeof tasks>(table: T, group: string[]) =>
    and(eq(table.recordType, "lead"), inArray(table.recordId, group));
  const [acts, leadNotes, doneTasks, messages] = await Promise.all([
    Promise.all(chunk(ids, idGroup).map((g) => ctx.db.findMany(activities, { where: onLeads(activities, g) }))),
    Promise.all(chunk(ids, idGroup).map((g) => ctx.db.findMany(notes, { where: onLeads(notes, g) }))),
    Promise.all(
      chunk(ids, idGroup).map((g) =>
        ctx.db.findMany(tasks, { where: and(onLeads(tasks, g), isNotNull(tasks.completedAt)) }),
      ),
    ),
    Promise.all(
      chunk(addresses, idGroup).map((g) =>
        ctx.db.findMany(outreachMessages, {
          where: and(eq(outreachMessages.channel, "email"), inArray(sql`lower(${outreachMessages.toAddress})`, g)),
        }),
      ),
    ),
  ]);
  const signals = new Map<string, LeadSignals & { email: Required<NonNullable<LeadSignals["email"]>> }>();
  const last = new Map<string, number>();
  const seen = (id: string, at: Date | null) => {
    if (at && at.getTime() > (last.get(id) ?? -Infinity)) last.set(id, at.getTime());
  };
  const count = (id: string, type: string, at: Date | null) => {
    const s = signals.get(id);
    if (!s) return;
    s.activities![type] = (s.activities![type] ?? 0) + 1;
    seen(id, at);
  };
  const byAddress = new Map<string, string[]>();
  for (const row of rows) {
    signals.set(row.id, {
      email: { sent: 0, bounced: 0, opened: 0, clicked: 0, replied: 0 },
      activities: {},
      profile: leadProfile(row),
    });
    if (row.email) byAddress.set(row.email.toLowerCase(), [...(byAddress.get(row.email.toLowerCase()) ?? []), row.id]);
  }
  for (const a of acts.flat()) count(a.recordId, a.type, a.occurredAt);
  for (const n of leadNotes.flat()) count(n.recordId, "note", n.createdAt);
  for (const t of doneTasks.flat()) if (t.recordId) count(t.recordId, "task", t.completedAt);
  for (const m of messages.flat()) {
    for (const id of byAddress.get(m.toAddress.toLowerCase()) ?? []) {
      const s = signals.get(id)!;
      if (m.sentAt) s.email.sent += 1;
      if (m.bouncedAt) s.email.bounced += 1;
      if (m.firstOpenedAt) s.email.opened += 1;
      if (m.firstClickedAt) s.email.clicked += 1;
      if (m.repliedAt) s.email.replied += 1;
      for (const at of [m.firstOpenedAt, m.firstClickedAt, m.repliedAt]) seen(id, at);
    }
  }
  for (const [id, s] of signals) {
    const at = last.get(id);
    s.lastEngagedAt = at === undefined ? null : new Date(at);
  }
  return signals;
}

/**
 * The statements that store a lead's new lead score and history entry and, at the MQL
 * threshold, move a lead still at `lead` to `mql` through the ordinary lead write (stage
 * history, audit entry, `lead.*` events for webhooks and workflows) in the same batch. Under the
 * disqualify threshold nothing about the lead changes: the score records it as disqualified.
 */
export async function leadRecordScoreQueries(
  ctx: TenantContext,
  lead: LeadRow,
  signals: LeadSignals,
  setup: LeadRecordScoringSetup,
  previous: AiScoreRow | null,
  now: Date,
  entry?: { change: "override" | "override_cleared"; reason: string },
): Promise<{ queries: BatchItem<"sqlite">[]; row: AiScoreRow }> {
  const { queries, row, result } = leadScoreRow(ctx, leadSubject(lead, setup), signals, setup, previous, now, entry);
  if (result.qualification.moveToStage === "mql" && lead.stage === "lead") {
    const threshold = setup.config.qualification.moveToMql;
    const { row: moved, stageChange } = applyLeadInput(
      lead,
      { stage: "mql", stageReason: `Lead score ${row.score} reached the MQL threshold (${threshold})` },
      now,
      { prefix: "body", creating: false },
    );
    queries.push(...(await leadSaveQueries(ctx, lead, moved, stageChange)));
  }
  return { queries, row };
}

async function scoreLeadRow(
  ctx: TenantContext,
  lead: LeadRow,
  override?: (previous: AiScoreRow | null, now: Date) => AiScoreRow | null,
  entry?: { change: "override" | "override_cleared"; reason: string },
): Promise<PublicScore> {
  const [setup, stored, signals] = await Promise.all([
    leadRecordScoringSetup(ctx),
    storedScore(ctx, lead.id, "lead_score", "lead"),
    leadSignalsOf(ctx, [lead]),
  ]);
  const now = new Date();
  const previous = override ? override(stored, now) : stored;
  const { queries, row } = await leadRecordScoreQueries(ctx, lead, signals.get(lead.id)!, setup, previous, now, entry);
  await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return publicScore(row);
}

/** Scores one lead now (rules, the tenant's model where it reads the lead, thresholds) and stores it. */
export async function scoreLeadRecord(ctx: TenantContext, leadId: string): Promise<PublicScore> {
  return scoreLeadRow(ctx, await findVisibleLead(ctx, leadId));
}

/**
 * The lead's score with its breakdown and recent history. A lead never scored gets its score
 * computed for this answer but not stored: a read changes nothing (no stage move, no history);
 * the hourly stale rescoring or a POST stores it.
 */
export async function getLeadScore(ctx: TenantContext, leadId: string) {
  const lead = await findVisibleLead(ctx, leadId);
  const stored = await storedScore(ctx, leadId, "lead_score", "lead");
  if (stored) return { ...publicScore(stored), history: await scoreHistory(ctx, "lead", leadId, "lead_score") };
  const [setup, signals] = await Promise.all([leadRecordScoringSetup(ctx), leadSignalsOf(ctx, [lead])]);
  const { row } = await leadRecordScoreQueries(ctx, lead, signals.get(lead.id)!, setup, null, new Date());
  return { ...publicScore(row), history: [] };
}

/** A person sets (or, with `score: null`, clears) the lead's score with a reason; thresholds apply to it. */
export async function overrideLeadScore(
  ctx: TenantContext,
  leadId: string,
  input: { score: number | null; reason: string },
): Promise<PublicScore> {
  const lead = await findVisibleLead(ctx, leadId);
  const reason = input.reason.trim();
  return scoreLeadRow(
    ctx,
    lead,
    (previous, now) => {
      if (input.score === null) {
        if (!previous || previous.overrideScore === null)
          throw new ApiError("CONFLICT", `Lead ${leadId} has no score override to clear`);
        return { ...previous, overrideScore: null, overrideReason: null, overrideBy: null, overrideAt: null };
      }
      return {
        ...(previous ?? emptyScore(ctx, leadId, now, "lead")),
        overrideScore: input.score,
        overrideReason: reason,
        overrideBy: ctx.actor.id,
        overrideAt: now,
      };
    },
    { change: input.score === null ? "override_cleared" : "override", reason },
  );
}

/** Current lead scores of these leads (the lead list shows them beside each row). */
export async function leadScoreSummaries(ctx: TenantContext, ids: string[]) {
  const rows = await Promise.all(
    chunk(ids, idGroup).map((group) =>
      ctx.db.findMany(aiScores, {
        where: and(eq(aiScores.recordType, "lead"), eq(aiScores.kind, "lead_score"), inArray(aiScores.recordId, group)),
      }),
    ),
  );
  return new Map(
    rows
      .flat()
      .map((r) => [
        r.recordId,
        { score: r.score, level: r.level, qualification: r.qualification, scoredAt: r.scoredAt.toISOString() },
      ]),
  );
}

/** One page of the tenant's leads in id order, after `afterId` (rescoring reads them so). */
export async function leadPageById(ctx: TenantContext, afterId: string | null, limit: number, where?: SQL) {
  const condition = and(afterId ? gt(leads.id, afterId) : undefined, where);
  return ctx.db.findMany(leads, {
    ...(condition ? { where: condition } : {}),
    orderBy: asc(leads.id),
    limit,
  });
}
