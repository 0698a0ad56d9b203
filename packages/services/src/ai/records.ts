import { activities, contacts, deals, outreachMessages } from "@crm/db";
import type { FieldKind, LeadSignals } from "@crm/ai";
import { and, asc, eq, gt, inArray, isNotNull, type SQL } from "drizzle-orm";
import type { ContactRow } from "../contacts/public";
import type { TenantContext } from "../context";
import { customFieldDefinitionsFor } from "../records/custom-fields";

/**
 * How a contact looks to the scoring models: its standard fields by name, and each custom
 * field as `cf.<key>`, so a tenant's own fields are learnt from like the ones we know.
 */
export const contactStandardFields: Record<string, FieldKind> = {
  title: "categorical",
  source: "categorical",
  leadStatus: "categorical",
  lifecycleStage: "categorical",
  consentStatus: "categorical",
  doNotContact: "boolean",
  timeZone: "categorical",
  emailDomain: "categorical",
  hasPhone: "boolean",
  hasCompany: "boolean",
  tagCount: "numeric",
  createdAt: "date",
};

const customKinds: Record<string, FieldKind | null> = {
  number: "numeric",
  boolean: "boolean",
  date: "date",
  select: "categorical",
  multi_select: "categorical",
  text: "categorical",
  url: null,
  email: null,
};

/** The fields a tenant's contact models may read, with their kinds (custom fields per their type). */
export async function contactFieldKinds(ctx: TenantContext): Promise<Record<string, FieldKind>> {
  const kinds: Record<string, FieldKind> = { ...contactStandardFields };
  for (const definition of await customFieldDefinitionsFor(ctx, "contact")) {
    const kind = customKinds[definition.type];
    if (kind) kinds[`cf.${definition.key}`] = kind;
  }
  return kinds;
}

export function contactFeatureRow(row: ContactRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    title: row.title,
    source: row.source,
    leadStatus: row.leadStatus,
    lifecycleStage: row.lifecycleStage,
    consentStatus: row.consentStatus,
    doNotContact: row.doNotContact,
    timeZone: row.timeZone,
    emailDomain: row.primaryEmail?.split("@")[1] ?? null,
    hasPhone: row.phones.length > 0,
    hasCompany: row.companyId !== null,
    tagCount: row.tags.length,
    createdAt: row.createdAt.toISOString(),
  };
  for (const [key, value] of Object.entries(row.customFields)) {
    out[`cf.${key}`] = Array.isArray(value) ? [...value].sort().join("; ") : value;
  }
  return out;
}

/** The profile the rule components judge (completeness and ICP fit read these names). */
export function contactProfile(row: ContactRow): Record<string, unknown> {
  return {
    ...contactFeatureRow(row),
    email: row.primaryEmail,
    phone: row.phones[0]?.number ?? null,
    firstName: row.firstName,
    lastName: row.lastName,
    company: row.companyId,
    jobTitle: row.title,
  };
}

/** Contacts read per statement while training or rescoring. */
export const contactPageSize = 500;

/** One page of the tenant's contacts (those matching `where`, when given) in id order, after `afterId`. */
export async function contactPage(ctx: TenantContext, afterId: string | null, limit = contactPageSize, where?: SQL) {
  const condition = and(afterId ? gt(contacts.id, afterId) : undefined, where);
  return ctx.db.findMany(contacts, {
    ...(condition ? { where: condition } : {}),
    orderBy: asc(contacts.id),
    limit,
  });
}

/** Per contact: 1 when it has a won deal, 0 when its closed deals were all lost; absent otherwise. */
export async function dealOutcomes(ctx: TenantContext): Promise<Map<string, 0 | 1>> {
  const closed = await ctx.db.findMany(deals, {
    where: and(inArray(deals.status, ["won", "lost"]), isNotNull(deals.contactId)),
  });
  const outcomes = new Map<string, 0 | 1>();
  for (const deal of closed) {
    const id = deal.contactId as string;
    if (deal.status === "won") outcomes.set(id, 1);
    else if (!outcomes.has(id)) outcomes.set(id, 0);
  }
  return outcomes;
}

const latest = (a: Date | null, b: Date | null) => (a && (!b || a > b) ? a : b);

/** What the rule components judge a contact's engagement by: its emails' events and its activities. */
export async function contactSignals(ctx: TenantContext, row: ContactRow): Promise<LeadSignals> {
  const [messages, acts] = await Promise.all([
    ctx.db.findMany(outreachMessages, { where: eq(outreachMessages.contactId, row.id) }),
    ctx.db.findMany(activities, {
      where: and(eq(activities.recordType, "contact"), eq(activities.recordId, row.id)),
    }),
  ]);
  const email = { sent: 0, bounced: 0, opened: 0, clicked: 0, replied: 0 };
  let lastEngaged: Date | null = null;
  for (const m of messages) {
    if (m.sentAt) email.sent += 1;
    if (m.bouncedAt) email.bounced += 1;
    if (m.firstOpenedAt) email.opened += 1;
    if (m.firstClickedAt) email.clicked += 1;
    if (m.repliedAt) email.replied += 1;
    lastEngaged = latest(latest(latest(m.firstOpenedAt, m.firstClickedAt), m.repliedAt), lastEngaged);
  }
  const byType: Record<string, number> = {};
  for (const a of acts) {
    byType[a.type] = (byType[a.type] ?? 0) + 1;
    lastEngaged = latest(a.occurredAt, lastEngaged);
  }
  return {
    email,
    activities: byType,
    lastEngagedAt: lastEngaged,
    profile: contactProfile(row),
  };
}
