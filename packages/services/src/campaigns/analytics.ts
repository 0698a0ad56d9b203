import {
  campaigns,
  contactLifecycleHistory,
  deals,
  outreachEvents,
  outreachMessages,
  sequenceEnrollments,
  sequenceSteps,
  type StepVariant,
} from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, asc, between, eq, inArray, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { TenantContext } from "../context";
import { findCampaign } from "./campaigns";

/*
 * Campaign analytics, counted in SQL over the tenant-leading indexes.
 * - Message counts come from outreach_messages' timestamps (one row per enrollment step), so
 *   an open counts once per message however often the pixel loads. Test sends (no
 *   enrollment) are left out. `delivered` is sent without a bounce.
 * - A contact is converted when, after enrolling, it reached the customer lifecycle stage or
 *   a deal of theirs was won; revenue attributed is the value of their deals won after
 *   enrolling (summed as stored, currencies are not converted).
 */

type MessageMetric = "sent" | "delivered" | "opened" | "clicked" | "replied" | "bounced" | "unsubscribed";

export type MessageCounts = Record<MessageMetric | "skipped" | "failed", number>;
export interface Outcome {
  converted: number;
  revenue: number;
}

const m = outreachMessages;
const flag = (condition: SQL) => sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;
const messageCountFields = {
  sent: flag(sql`${m.sentAt} is not null`),
  delivered: flag(sql`${m.sentAt} is not null and ${m.bouncedAt} is null`),
  opened: flag(sql`${m.firstOpenedAt} is not null`),
  clicked: flag(sql`${m.firstClickedAt} is not null`),
  replied: flag(sql`${m.repliedAt} is not null`),
  bounced: flag(sql`${m.bouncedAt} is not null`),
  unsubscribed: flag(sql`${m.unsubscribedAt} is not null`),
  skipped: flag(sql`${m.status} = 'skipped'`),
  failed: flag(sql`${m.status} = 'failed'`),
};

function counts(row: Record<keyof typeof messageCountFields, unknown>): MessageCounts {
  return {
    sent: Number(row.sent),
    delivered: Number(row.delivered),
    opened: Number(row.opened),
    clicked: Number(row.clicked),
    replied: Number(row.replied),
    bounced: Number(row.bounced),
    unsubscribed: Number(row.unsubscribed),
    skipped: Number(row.skipped),
    failed: Number(row.failed),
  };
}

/** The won deals' value of `contact` closed at or after `since` (SQL expressions of the outer row). */
function wonValueSince(ctx: TenantContext, contact: SQLiteColumn, since: SQL | SQLiteColumn): SQL<number> {
  return sql<number>`(select coalesce(sum(${deals.value}), 0) from ${deals} where ${deals.tenantId} = ${ctx.tenant.id} and ${deals.contactId} = ${contact} and ${deals.status} = 'won' and ${deals.closedAt} >= ${since})`;
}

/** `contact` became a customer, or won a deal, at or after `since`. */
function convertedSince(ctx: TenantContext, contact: SQLiteColumn, since: SQL | SQLiteColumn): SQL {
  const h = contactLifecycleHistory;
  return sql`(exists (select 1 from ${h} where ${h.tenantId} = ${ctx.tenant.id} and ${h.contactId} = ${contact} and ${h.toStage} = 'customer' and ${h.changedAt} >= ${since})
    or exists (select 1 from ${deals} where ${deals.tenantId} = ${ctx.tenant.id} and ${deals.contactId} = ${contact} and ${deals.status} = 'won' and ${deals.closedAt} >= ${since}))`;
}

/** A message's enrollment's start: conversions count from there. */
function enrolledAtOf(ctx: TenantContext): SQL {
  const e = sequenceEnrollments;
  return sql`(select ${e.createdAt} from ${e} where ${e.tenantId} = ${ctx.tenant.id} and ${e.id} = ${m.enrollmentId})`;
}

/** Enrolled, converted and revenue per campaign (each contact once), in one grouped read. */
async function outcomesByCampaign(ctx: TenantContext, ids: string[]) {
  const e = sequenceEnrollments;
  const rows = await ctx.db.aggregateQuery(
    e,
    {
      campaignId: e.campaignId,
      enrolled: sql<number>`count(*)`,
      converted: flag(convertedSince(ctx, e.contactId, e.createdAt)),
      revenue: sql<number>`coalesce(sum(${wonValueSince(ctx, e.contactId, e.createdAt)}), 0)`,
    },
    { where: inArray(e.campaignId, ids), groupBy: [e.campaignId] },
  );
  return new Map(
    rows.map((r) => [
      r.campaignId ?? "",
      { enrolled: Number(r.enrolled), converted: Number(r.converted), revenue: Number(r.revenue) },
    ]),
  );
}

const campaignMessages = (campaignId: string) => and(eq(m.campaignId, campaignId), isNotNull(m.enrollmentId))!;

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000);

function ratesOf(totals: MessageCounts & Outcome & { enrolled: number }) {
  return {
    deliveryRate: ratio(totals.delivered, totals.sent),
    openRate: ratio(totals.opened, totals.delivered),
    clickRate: ratio(totals.clicked, totals.delivered),
    replyRate: ratio(totals.replied, totals.delivered),
    bounceRate: ratio(totals.bounced, totals.sent),
    unsubscribeRate: ratio(totals.unsubscribed, totals.delivered),
    conversionRate: ratio(totals.converted, totals.enrolled),
  };
}

/** Totals and rates of several campaigns (each of the tenant's, else 404). */
async function totalsOf(ctx: TenantContext, ids: string[]) {
  const [messageRows, outcomes] = await Promise.all([
    ctx.db.aggregateQuery(
      m,
      { campaignId: m.campaignId, ...messageCountFields },
      { where: and(inArray(m.campaignId, ids), isNotNull(m.enrollmentId)), groupBy: [m.campaignId] },
    ),
    outcomesByCampaign(ctx, ids),
  ]);
  const byCampaign = new Map(messageRows.map((r) => [r.campaignId ?? "", counts(r)]));
  const zero = counts({
    sent: 0,
    delivered: 0,
    opened: 0,
    clicked: 0,
    replied: 0,
    bounced: 0,
    unsubscribed: 0,
    skipped: 0,
    failed: 0,
  });
  return new Map(
    ids.map((id) => {
      const totals = {
        enrolled: outcomes.get(id)?.enrolled ?? 0,
        ...(byCampaign.get(id) ?? zero),
        converted: outcomes.get(id)?.converted ?? 0,
        revenue: outcomes.get(id)?.revenue ?? 0,
      };
      return [id, { totals, rates: ratesOf(totals) }];
    }),
  );
}

/**
 * Per step and variant counts, totals and rates, and the funnel (distinct contacts at each
 * stage: enrolled, sent, opened, clicked, replied, converted).
 */
export async function campaignAnalytics(ctx: TenantContext, id: string) {
  const campaign = await findCampaign(ctx, id);
  const enrolledAt = enrolledAtOf(ctx);
  const distinctContacts = (condition: SQL) =>
    sql<number>`count(distinct case when ${condition} then ${m.contactId} end)`;
  const [variantRows, steps, all, funnelRows] = await Promise.all([
    ctx.db.aggregateQuery(
      m,
      {
        stepId: m.stepId,
        variantKey: m.variantKey,
        ...messageCountFields,
        converted: flag(sql`${m.sentAt} is not null and ${convertedSince(ctx, m.contactId, enrolledAt)}`),
        revenue: sql<number>`coalesce(sum(case when ${m.sentAt} is not null then ${wonValueSince(ctx, m.contactId, enrolledAt)} else 0 end), 0)`,
      },
      { where: campaignMessages(id), groupBy: [m.stepId, m.variantKey] },
    ),
    ctx.db.findMany(sequenceSteps, {
      where: eq(sequenceSteps.sequenceId, campaign.sequenceId),
      orderBy: asc(sequenceSteps.position),
    }),
    totalsOf(ctx, [id]),
    ctx.db.aggregateQuery(
      m,
      {
        sent: distinctContacts(sql`${m.sentAt} is not null`),
        opened: distinctContacts(sql`${m.firstOpenedAt} is not null`),
        clicked: distinctContacts(sql`${m.firstClickedAt} is not null`),
        replied: distinctContacts(sql`${m.repliedAt} is not null`),
      },
      { where: campaignMessages(id) },
    ),
  ]);
  const { totals, rates } = all.get(id)!;
  const funnel = funnelRows[0];

  const byStep = new Map<string, typeof variantRows>();
  for (const row of variantRows) {
    const list = byStep.get(row.stepId ?? "") ?? [];
    list.push(row);
    byStep.set(row.stepId ?? "", list);
  }
  // Removed steps stay listed while they have messages: their sends happened.
  const shown = steps.filter((s) => s.deletedAt === null || byStep.has(s.id));
  return {
    campaignId: id,
    totals,
    rates,
    steps: shown.map((step, index) => {
      const rows = byStep.get(step.id) ?? [];
      const keys = [
        ...step.variants.map((v: StepVariant) => v.key),
        ...rows.map((r) => r.variantKey ?? "").filter((k) => !step.variants.some((v) => v.key === k)),
      ];
      return {
        stepId: step.id,
        position: index + 1,
        channel: step.channel,
        removed: step.deletedAt !== null,
        variants: keys.map((key) => {
          const row = rows.find((r) => (r.variantKey ?? "") === key);
          const variant = step.variants.find((v) => v.key === key);
          return {
            key,
            weight: variant?.weight ?? null,
            subject: variant?.subject ?? null,
            ...(row
              ? { ...counts(row), converted: Number(row.converted), revenue: Number(row.revenue) }
              : {
                  ...counts({
                    sent: 0,
                    delivered: 0,
                    opened: 0,
                    clicked: 0,
                    replied: 0,
                    bounced: 0,
                    unsubscribed: 0,
                    skipped: 0,
                    failed: 0,
                  }),
                  converted: 0,
                  revenue: 0,
                }),
          };
        }),
      };
    }),
    funnel: [
      { stage: "enrolled" as const, contacts: totals.enrolled },
      { stage: "sent" as const, contacts: Number(funnel?.sent ?? 0) },
      { stage: "opened" as const, contacts: Number(funnel?.opened ?? 0) },
      { stage: "clicked" as const, contacts: Number(funnel?.clicked ?? 0) },
      { stage: "replied" as const, contacts: Number(funnel?.replied ?? 0) },
      { stage: "converted" as const, contacts: totals.converted },
    ],
  };
}

/** Side by side: each campaign's totals and rates, in the order asked. Any unknown id: 404. */
export async function compareCampaigns(ctx: TenantContext, ids: string[]) {
  const unique = [...new Set(ids)];
  const rows = await ctx.db.findMany(campaigns, {
    where: and(inArray(campaigns.id, unique), isNull(campaigns.deletedAt)),
  });
  const missing = unique.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length > 0) throw new ApiError("NOT_FOUND", `Campaign ${missing.join(", ")} was not found`);
  const totals = await totalsOf(ctx, unique);
  return {
    data: unique.map((id) => {
      const row = rows.find((r) => r.id === id)!;
      return {
        id,
        name: row.name,
        status: row.status,
        startedAt: row.startedAt?.toISOString() ?? null,
        ...totals.get(id)!,
      };
    }),
  };
}

const dayMs = 86_400_000;
const timeSeriesTypes = ["sent", "delivered", "opened", "clicked", "replied", "bounced", "unsubscribed"] as const;
type DayCounts = Record<(typeof timeSeriesTypes)[number], number>;

const dayString = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Events per UTC day from outreach_events (every open and click counts), every day of the
 * range present (zeros included). Default range: the campaign's start (or creation) to today.
 */
export async function campaignTimeSeries(
  ctx: TenantContext,
  id: string,
  range: { from?: string | undefined; to?: string | undefined },
) {
  const campaign = await findCampaign(ctx, id);
  const from = new Date(`${range.from ?? dayString(campaign.startedAt ?? campaign.createdAt)}T00:00:00Z`);
  const to = new Date(`${range.to ?? dayString(new Date())}T00:00:00Z`);
  if (to < from) {
    throw new ApiError("VALIDATION_FAILED", "The range ends before it starts", {
      errors: [{ path: range.to ? "query.to" : "query.from", message: "Must not be after `to`" }],
    });
  }
  if ((to.getTime() - from.getTime()) / dayMs > 365) {
    throw new ApiError("VALIDATION_FAILED", "The range is too long", {
      errors: [{ path: "query.from", message: "At most 366 days" }],
    });
  }
  const e = outreachEvents;
  const day = sql<string>`strftime('%Y-%m-%d', ${e.occurredAt} / 1000, 'unixepoch')`;
  const rows = await ctx.db.aggregateQuery(
    e,
    { day, type: e.type, n: sql<number>`count(*)` },
    {
      where: and(
        eq(e.campaignId, id),
        inArray(e.type, [...timeSeriesTypes]),
        between(e.occurredAt, from, new Date(to.getTime() + dayMs - 1)),
      ),
      groupBy: [day, e.type],
    },
  );
  const days: ({ date: string } & DayCounts)[] = [];
  for (let t = from.getTime(); t <= to.getTime(); t += dayMs) {
    days.push({
      date: dayString(new Date(t)),
      sent: 0,
      delivered: 0,
      opened: 0,
      clicked: 0,
      replied: 0,
      bounced: 0,
      unsubscribed: 0,
    });
  }
  const index = new Map(days.map((d, i) => [d.date, i]));
  for (const row of rows) {
    const at = index.get(row.day);
    if (at !== undefined) days[at]![row.type as keyof DayCounts] = Number(row.n);
  }
  return { campaignId: id, from: dayString(from), to: dayString(to), days };
}
