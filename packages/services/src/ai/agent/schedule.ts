// What the hourly Cron hands the queue: the tenants whose agent is on, and of those the ones
// with deals due. The first query reads the tenants' settings, the second each such tenant's
// due deals on deals_tenant_next_action_idx (one probe per tenant, stopping at the first).
import { type Database, deals, tenants } from "@crm/db";
import { and, eq, lte, sql } from "drizzle-orm";

/** Tenants whose pipeline agent is in suggest or act mode. */
export async function findTenantsWithAgentOn(db: Database): Promise<string[]> {
  const rows = await db
    .select({ id: tenants.id })
    .from(tenants)
    .where(sql`json_extract(${tenants.settings}, '$.aiAgent.mode') in ('suggest', 'act')`);
  return rows.map((r) => r.id);
}

/** Of the tenants whose agent is on, those with at least one open deal whose next action is due. */
export async function findTenantsWithDueDeals(db: Database, now: Date): Promise<string[]> {
  const due: string[] = [];
  for (const tenantId of await findTenantsWithAgentOn(db)) {
    const [one] = await db
      .select({ id: deals.id })
      .from(deals)
      .where(and(eq(deals.tenantId, tenantId), lte(deals.nextActionAt, now), eq(deals.status, "active")))
      .limit(1);
    if (one) due.push(tenantId);
  }
  return due;
}
