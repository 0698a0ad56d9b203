import { type Database, memberships, refreshTokens, type Role, tenants, users } from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { type Actor, roleAtLeast } from "../access";
import { auditQuery } from "../audit";
import { batchGuard, isGuardFailure } from "../batch-guard";
import type { TenantContext } from "../context";
import { afterCursor, orderFor, pageFromRows, parseSort } from "../lists/cursor";

type MembershipRow = typeof memberships.$inferSelect;
type UserRow = typeof users.$inferSelect;

/** A person in the tenant: who they are (global) and their role here (per tenant). */
export function publicMember(membership: MembershipRow, user: Pick<UserRow, "name" | "email">) {
  return {
    id: membership.userId,
    name: user.name,
    email: user.email,
    role: membership.role,
    joinedAt: membership.createdAt.toISOString(),
  };
}
export type PublicMember = ReturnType<typeof publicMember>;

/** Users are global (one login, several tenants), so they are read by id after the scoped membership query. */
async function usersById(db: Database, ids: string[]) {
  if (ids.length === 0) return new Map<string, UserRow>();
  const rows = await db.select().from(users).where(inArray(users.id, ids));
  return new Map(rows.map((u) => [u.id, u]));
}

const joinedSort = parseSort(undefined, { joinedAt: { column: memberships.createdAt, kind: "date" } }, "joinedAt");

/** Members in the order they joined. */
export async function listMembers(
  ctx: TenantContext,
  db: Database,
  page: { limit: number; cursor?: string | undefined },
) {
  const rows = await ctx.db.findMany(memberships, {
    where: afterCursor(joinedSort, memberships.userId, page.cursor),
    orderBy: orderFor(joinedSort, memberships.userId),
    limit: page.limit + 1,
  });
  const { rows: kept, nextCursor } = pageFromRows(
    rows.map((r) => ({ ...r, id: r.userId })),
    page.limit,
    joinedSort,
    (r) => r.createdAt,
  );
  const people = await usersById(
    db,
    kept.map((r) => r.userId),
  );
  const data = kept.flatMap((m) => {
    const user = people.get(m.userId);
    return user ? [publicMember(m, user)] : [];
  });
  return { data, nextCursor };
}

async function findMember(ctx: TenantContext, db: Database, userId: string) {
  const membership = await ctx.db.findFirst(memberships, eq(memberships.userId, userId));
  const user = membership && (await db.query.users.findFirst({ where: eq(users.id, userId) }));
  if (!membership || !user) throw new ApiError("NOT_FOUND", `Member ${userId} was not found`);
  return { membership, user };
}

export async function getMember(ctx: TenantContext, db: Database, userId: string) {
  const { membership, user } = await findMember(ctx, db, userId);
  return publicMember(membership, user);
}

const isOwner = (actor: Actor) => actor.type === "user" && actor.role === "owner";

/** SQL: the tenant still has an owner. Evaluated inside the batch, after the change. */
function stillHasOwner(ctx: TenantContext): SQL {
  return sql`exists (select 1 from ${memberships} where ${ctx.db.scope(memberships, eq(memberships.role, "owner"))})`;
}

const lastOwner = () =>
  new ApiError("CONFLICT", "The organization's last owner cannot be removed or demoted; make someone else owner first");

/** Rejects a change that would leave the tenant without an owner (the batch guard covers races). */
async function ensureAnotherOwner(ctx: TenantContext, target: MembershipRow) {
  if (target.role !== "owner") return;
  const owners = await ctx.db.count(memberships, eq(memberships.role, "owner"));
  if (owners <= 1) throw lastOwner();
}

/** Owners and admins change roles; only an owner grants or takes away the owner role. */
export async function changeMemberRole(ctx: TenantContext, db: Database, userId: string, role: Role) {
  const { membership, user } = await findMember(ctx, db, userId);
  if ((membership.role === "owner" || role === "owner") && !isOwner(ctx.actor)) {
    throw new ApiError("FORBIDDEN", "Only an owner can grant or remove the owner role");
  }
  if (membership.role === role) return publicMember(membership, user);
  await ensureAnotherOwner(ctx, membership);
  const updated = { ...membership, role };
  try {
    await ctx.db.batch([
      ctx.db.updateQuery(memberships, { role }, eq(memberships.userId, userId)),
      auditQuery(ctx, {
        action: "update",
        entity: "membership",
        entityId: userId,
        before: publicMember(membership, user),
        after: publicMember(updated, user),
      }),
      batchGuard(db, tenants.slug, eq(tenants.id, ctx.tenant.id), stillHasOwner(ctx)),
    ]);
  } catch (error) {
    if (isGuardFailure(error, tenants.slug)) throw lastOwner();
    throw error;
  }
  return publicMember(updated, user);
}

/**
 * Removes a person from the tenant (not from the product: their account and other
 * memberships stay) and ends their sessions here. Anyone may leave; removing someone
 * else takes an admin, and removing an owner takes an owner.
 */
export async function removeMember(ctx: TenantContext, db: Database, userId: string) {
  const { membership, user } = await findMember(ctx, db, userId);
  const self = ctx.actor.type === "user" && ctx.actor.id === userId;
  if (!self && ctx.actor.type === "user" && !roleAtLeast(ctx.actor.role, "admin")) {
    throw new ApiError("FORBIDDEN", "Only owners and admins can remove other members");
  }
  if (!self && membership.role === "owner" && !isOwner(ctx.actor)) {
    throw new ApiError("FORBIDDEN", "Only an owner can remove another owner");
  }
  await ensureAnotherOwner(ctx, membership);
  try {
    await ctx.db.batch([
      ctx.db.deleteQuery(memberships, eq(memberships.userId, userId)),
      ctx.db.updateQuery(
        refreshTokens,
        { revokedAt: new Date() },
        and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt))!,
      ),
      auditQuery(ctx, {
        action: "delete",
        entity: "membership",
        entityId: userId,
        before: publicMember(membership, user),
      }),
      batchGuard(db, tenants.slug, eq(tenants.id, ctx.tenant.id), stillHasOwner(ctx)),
    ]);
  } catch (error) {
    if (isGuardFailure(error, tenants.slug)) throw lastOwner();
    throw error;
  }
}
