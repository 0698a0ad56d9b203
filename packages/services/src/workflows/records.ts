// The records a workflow reads and pages through, as the API shows them (public shapes), so
// conditions, tokens and webhook payloads see exactly the fields the API documents.
import { companies, contacts, customFieldDefinitions, deals, leads, tasks } from "@crm/db";
import type { WorkflowObject } from "@crm/workflows";
import { and, asc, eq, gt, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { publicCompany } from "../companies/public";
import { publicContact } from "../contacts/public";
import type { TenantContext } from "../context";
import { publicDeal } from "../deals/serialize";
import { publicLead } from "../leads/serialize";
import { customFieldDefinitionsFor } from "../records/custom-fields";
import { publicTask } from "../tasks/tasks";

export type WorkflowRecord = Record<string, unknown> & { id: string };

type AnyRow = Record<string, unknown> & { id: string };
type Definitions = (typeof customFieldDefinitions.$inferSelect)[];

const objects = {
  contact: { table: contacts, toPublic: (row: AnyRow) => publicContact(row as never) },
  company: { table: companies, toPublic: (row: AnyRow) => publicCompany(row as never) },
  lead: { table: leads, toPublic: (row: AnyRow) => publicLead(row as never) },
  deal: { table: deals, toPublic: (row: AnyRow) => publicDeal(row as never) },
  task: { table: tasks, toPublic: (row: AnyRow, defs: Definitions) => publicTask(row as never, defs) },
} as const;

function tableOf(object: WorkflowObject) {
  return objects[object].table as typeof contacts;
}

async function toPublic(ctx: TenantContext, object: WorkflowObject, rows: AnyRow[]): Promise<WorkflowRecord[]> {
  const defs = object === "task" ? await customFieldDefinitionsFor(ctx, "task") : [];
  return rows.map((row) => objects[object].toPublic(row, defs) as unknown as WorkflowRecord);
}

/** One record of the object as the API shows it, or null when the tenant has none with this id. */
export async function findWorkflowRecord(
  ctx: TenantContext,
  object: WorkflowObject,
  id: string,
): Promise<WorkflowRecord | null> {
  const table = tableOf(object);
  const row = await ctx.db.findFirst(table, eq(table.id, id));
  return row ? ((await toPublic(ctx, object, [row as unknown as AnyRow]))[0] ?? null) : null;
}

/** A page of the object's records in id order after `afterId`, optionally narrowed by a SQL condition. */
export async function workflowRecordPage(
  ctx: TenantContext,
  object: WorkflowObject,
  options: { afterId?: string | null | undefined; limit: number; where?: SQL | undefined },
): Promise<WorkflowRecord[]> {
  const table = tableOf(object);
  const rows = await ctx.db.findMany(table, {
    where: and(options.afterId ? gt(table.id, options.afterId) : undefined, options.where),
    orderBy: asc(table.id),
    limit: options.limit,
  });
  return toPublic(ctx, object, rows as unknown as AnyRow[]);
}

/**
 * The calendar day (`YYYY-MM-DD`, UTC) of a date field as SQL, for the date-relative window:
 * timestamp columns hold epoch ms, calendar-date columns and custom date fields hold text.
 */
export function dateFieldDaySql(object: WorkflowObject, field: string): SQL | null {
  const table = tableOf(object) as unknown as Record<string, SQLiteColumn>;
  if (field.startsWith("customFields.")) {
    const key = field.slice("customFields.".length);
    return sql`date(json_extract(${table.customFields!}, ${`$.${key}`}))`;
  }
  const column = table[field];
  if (!column) return null;
  return column.columnType === "SQLiteTimestamp" ? sql`date(${column} / 1000, 'unixepoch')` : sql`date(${column})`;
}
