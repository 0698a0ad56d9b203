import type { Role } from "@crm/db";
import { eq, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { TenantContext } from "../context";

/**
 * Record visibility: per role, a tenant decides whether people see every record or only
 * the ones they own. Owners and admins always see everything; API keys act for the
 * tenant. Lists, search, stats, exports and timelines all add this condition.
 */
export async function visibilityCondition(ctx: TenantContext, ownerColumn: SQLiteColumn): Promise<SQL | undefined> {
  if (ctx.actor.type !== "user") return undefined;
  const role: Role = ctx.actor.role;
  if (role === "owner" || role === "admin") return undefined;
  const tenant = await ctx.db.tenant();
  const rule = tenant?.settings.recordVisibility?.[role] ?? "all";
  return rule === "own" ? eq(ownerColumn, ctx.actor.id) : undefined;
}

/** Whether the actor may see one record owned by `ownerId` (detail pages, timelines). */
export async function canSeeRecord(ctx: TenantContext, ownerId: string | null): Promise<boolean> {
  if (ctx.actor.type !== "user") return true;
  const role = ctx.actor.role;
  if (role === "owner" || role === "admin") return true;
  const tenant = await ctx.db.tenant();
  const rule = tenant?.settings.recordVisibility?.[role] ?? "all";
  return rule === "all" || ownerId === ctx.actor.id;
}
