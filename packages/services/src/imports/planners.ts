import { companies, contacts, type RecordType } from "@crm/db";
import { ApiError } from "@crm/errors";
import { normalizeDomain, normalizeEmail } from "@crm/records";
import type { BatchItem } from "drizzle-orm/batch";
import { sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { applyCompanyInput, blankCompany, checkCompanyInput, type CompanyInput } from "../companies/input";
import { type CompanyRow, sameCompany } from "../companies/public";
import { companySaveQueries } from "../companies/write";
import { applyContactInput, blankContact, checkContactInput, type ContactInput } from "../contacts/input";
import type { ContactRow } from "../contacts/public";
import { addNewContactRows, companyNameOf, contactSaveQueries, sameContact } from "../contacts/write";
import type { TenantContext } from "../context";
import { dealSaveQueries, newDealRow, type CreateDealInput } from "../deals/write";
import { applyLeadInput, blankLead, checkLeadInput, type LeadInput } from "../leads/input";
import { leadSaveQueries } from "../leads/write";
import { notesTextByRecord } from "../notes/search-text";
import type { CreatedRows } from "../records/created-rows";
import { canSeeRecord } from "../records/visibility";
import { newTaskRow, taskCreateQueries, type TaskInput } from "../tasks/tasks";
import type { MatchKey } from "./store";

export type RowOutcome = "created" | "updated" | "skipped";

/**
 * Turns one validated row (the create body the object's API route takes) into the
 * statements that write it, through the same checks and save queries the API's create and
 * update use. Row problems are thrown as the ApiError those would answer with, paths under `row`.
 */
export interface RowPlanner {
  /**
   * With `created` (a context that announces no record changes), a planner that can adds a
   * plain create's rows there and returns no statements for it; the caller writes them.
   */
  plan(
    body: Record<string, unknown>,
    now: Date,
    created?: CreatedRows,
  ): Promise<{ outcome: RowOutcome; queries: BatchItem<"sqlite">[] }>;
}

export const rowPrefix = "row";

/** A record known by its unique key: stored before this chunk, or written earlier in it. */
interface Known<Row> {
  row: Row;
  stored: boolean;
}

/**
 * `column IN (the keys)` with the keys as one JSON parameter: a chunk's keys are looked up
 * in one statement (the unique index per key) rather than one per 90 (D1's parameter limit).
 */
const inJsonList = (column: SQLiteColumn, keys: string[]) =>
  sql`${column} in (select value from json_each(${JSON.stringify(keys)}))`;

const conflict = (path: string, message: string) =>
  new ApiError("CONFLICT", message, { errors: [{ path: `${rowPrefix}.${path}`, message }] });

/**
 * Contacts keyed by primary email (unique per tenant): with the `email` match key a row
 * whose email is known updates that contact; without it, a known email is a row error (as
 * the API's 409) rather than a second contact.
 */
async function contactPlanner(ctx: TenantContext, matchKey: MatchKey, bodies: Record<string, unknown>[]) {
  const keyOf = (body: Record<string, unknown>) => {
    const address = (body as ContactInput).emails?.[0]?.address;
    return address ? normalizeEmail(address) : null;
  };
  const known = new Map<string, Known<ContactRow>>();
  const keys = [...new Set(bodies.map(keyOf).filter((k): k is string => !!k))];
  if (keys.length > 0) {
    for (const row of await ctx.db.findMany(contacts, { where: inJsonList(contacts.primaryEmail, keys) }))
      known.set(row.primaryEmail!, { row, stored: true });
  }
  const planner: RowPlanner = {
    async plan(body, now, created) {
      const input = body as ContactInput;
      const key = keyOf(body);
      const found = key ? known.get(key) : undefined;
      if (found && matchKey !== "email")
        throw conflict("emails.0.address", `Another contact already has the primary email ${key}`);
      if (found && found.stored && !(await canSeeRecord(ctx, found.row.ownerId)))
        throw conflict("emails.0.address", `A contact you cannot see already has the primary email ${key}`);
      const before = found?.row ?? null;
      const checked = await checkContactInput(ctx, input, { prefix: rowPrefix, creating: !before });
      const { row, lifecycleChange } = applyContactInput(before ?? blankContact(ctx, now), checked, now, rowPrefix);
      if (before && sameContact(before, row)) return { outcome: "skipped", queries: [] };
      if (row.primaryEmail && row.primaryEmail !== key && known.has(row.primaryEmail))
        throw conflict("emails.0.address", `Another contact already has the primary email ${row.primaryEmail}`);
      if (!before && created) {
        addNewContactRows(
          ctx,
          row,
          { lifecycle: lifecycleChange, companyName: await companyNameOf(ctx, row.companyId) },
          created,
        );
        if (row.primaryEmail) known.set(row.primaryEmail, { row, stored: false });
        return { outcome: "created", queries: [] };
      }
      const queries = contactSaveQueries(ctx, before, row, {
        lifecycle: lifecycleChange,
        companyName: await companyNameOf(ctx, row.companyId),
        reindex: true,
        notesText: found?.stored ? (await notesTextByRecord(ctx, "contact", [row.id])).get(row.id) : undefined,
      });
      if (row.primaryEmail) known.set(row.primaryEmail, { row, stored: found?.stored ?? false });
      return { outcome: before ? "updated" : "created", queries };
    },
  };
  return planner;
}

/** Companies keyed by normalised domain (unique per tenant), as contacts by email. */
async function companyPlanner(ctx: TenantContext, matchKey: MatchKey, bodies: Record<string, unknown>[]) {
  const keyOf = (body: Record<string, unknown>) => {
    const domain = (body as CompanyInput).domain;
    return domain ? normalizeDomain(domain) : null;
  };
  const known = new Map<string, Known<CompanyRow>>();
  const keys = [...new Set(bodies.map(keyOf).filter((k): k is string => !!k))];
  if (keys.length > 0) {
    for (const row of await ctx.db.findMany(companies, { where: inJsonList(companies.domain, keys) }))
      known.set(row.domain!, { row, stored: true });
  }
  const planner: RowPlanner = {
    async plan(body, now) {
      const key = keyOf(body);
      const found = key ? known.get(key) : undefined;
      if (found && matchKey !== "domain") throw conflict("domain", `Another company already has the domain ${key}`);
      if (found && found.stored && !(await canSeeRecord(ctx, found.row.ownerId)))
        throw conflict("domain", `A company you cannot see already has the domain ${key}`);
      const before = found?.row ?? null;
      const checked = await checkCompanyInput(ctx, body as CompanyInput, { prefix: rowPrefix, creating: !before });
      const row = applyCompanyInput(before ?? blankCompany(ctx, now), checked, now);
      if (before && sameCompany(before, row)) return { outcome: "skipped", queries: [] };
      const queries = await companySaveQueries(ctx, before, row);
      if (row.domain) known.set(row.domain, { row, stored: found?.stored ?? false });
      return { outcome: before ? "updated" : "created", queries };
    },
  };
  return planner;
}

const leadPlanner = (ctx: TenantContext): RowPlanner => ({
  async plan(body, now) {
    const checked = await checkLeadInput(ctx, body as LeadInput, { prefix: rowPrefix, creating: true });
    const { row, stageChange } = applyLeadInput(blankLead(ctx, now), checked, now, {
      prefix: rowPrefix,
      creating: true,
    });
    return { outcome: "created", queries: await leadSaveQueries(ctx, null, row, stageChange) };
  },
});

const dealPlanner = (ctx: TenantContext): RowPlanner => ({
  async plan(body, now) {
    const row = await newDealRow(ctx, body as unknown as CreateDealInput, rowPrefix, now);
    return { outcome: "created", queries: await dealSaveQueries(ctx, null, row) };
  },
});

const taskPlanner = (ctx: TenantContext): RowPlanner => ({
  async plan(body) {
    const row = await newTaskRow(ctx, body as unknown as TaskInput, rowPrefix);
    return { outcome: "created", queries: await taskCreateQueries(ctx, row) };
  },
});

/** The planner for a chunk: keyed objects look up every key of the chunk's rows at once. */
export async function plannerFor(
  ctx: TenantContext,
  objectType: RecordType,
  matchKey: MatchKey,
  bodies: Record<string, unknown>[],
): Promise<RowPlanner> {
  switch (objectType) {
    case "contact":
      return contactPlanner(ctx, matchKey, bodies);
    case "company":
      return companyPlanner(ctx, matchKey, bodies);
    case "lead":
      return leadPlanner(ctx);
    case "deal":
      return dealPlanner(ctx);
    case "task":
      return taskPlanner(ctx);
  }
}
