import { type Database, invitations, memberships, newId, type Role, tenants, users } from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, eq, gt, isNotNull, isNull, lte, sql, type SQL } from "drizzle-orm";
import type { Actor } from "../access";
import { auditQuery } from "../audit";
import { batchGuard, isGuardFailure } from "../batch-guard";
import type { TenantContext } from "../context";
import { appLink } from "../auth/password-reset";
import { randomToken, sha256Hex } from "../auth/crypto";
import { findUserByEmail, normalizeEmail } from "../auth/sessions";
import { afterCursor, orderFor, pageFromRows, parseSort } from "../lists/cursor";
import type { OutgoingMail } from "../mail/transport";

export const invitationStatuses = ["pending", "accepted", "revoked", "expired"] as const;
export type InvitationStatus = (typeof invitationStatuses)[number];
export type InvitationRow = typeof invitations.$inferSelect;

export function invitationStatus(row: InvitationRow, now = Date.now()): InvitationStatus {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  return row.expiresAt.getTime() <= now ? "expired" : "pending";
}

/** The same states as SQL, for the list filter. */
function statusCondition(status: InvitationStatus, now: Date): SQL {
  const open = and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt))!;
  switch (status) {
    case "accepted":
      return isNotNull(invitations.acceptedAt);
    case "revoked":
      return and(isNull(invitations.acceptedAt), isNotNull(invitations.revokedAt))!;
    case "expired":
      return and(open, lte(invitations.expiresAt, now))!;
    case "pending":
      return and(open, gt(invitations.expiresAt, now))!;
  }
}

/** What clients and the audit log see: never the token hash. */
export function publicInvitation(row: InvitationRow, now = Date.now()) {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status: invitationStatus(row, now),
    invitedBy: row.invitedBy,
    expiresAt: row.expiresAt.toISOString(),
    acceptedAt: row.acceptedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
export type PublicInvitation = ReturnType<typeof publicInvitation>;

/** Only an owner hands out the owner role; admins and API keys cannot. */
function mayGrant(actor: Actor, role: Role): boolean {
  return role !== "owner" || (actor.type === "user" && actor.role === "owner");
}

function pendingFor(email: string, now: Date): SQL {
  return and(eq(invitations.email, email), statusCondition("pending", now))!;
}

export interface CreateInvitationInput {
  email: string;
  role: Role;
  expiresInDays: number;
  appUrl: string;
}

/**
 * Invites an email address into the tenant. Returns the invitation and the email to send;
 * the token exists only in that email (the table keeps its SHA-256).
 */
export async function createInvitation(ctx: TenantContext, db: Database, input: CreateInvitationInput) {
  if (!mayGrant(ctx.actor, input.role)) throw new ApiError("FORBIDDEN", "Only an owner can invite another owner");
  const email = normalizeEmail(input.email);
  const now = new Date();
  const existingUser = await findUserByEmail(db, email);
  if (existingUser && (await ctx.db.findFirst(memberships, eq(memberships.userId, existingUser.id)))) {
    throw new ApiError("CONFLICT", `${email} is already a member of this organization`, {
      errors: [{ path: "body.email", message: "Already a member" }],
    });
  }
  const pending = await ctx.db.findFirst(invitations, pendingFor(email, now));
  if (pending) {
    throw new ApiError("CONFLICT", `${email} already has a pending invitation`, {
      errors: [{ path: "body.email", message: "Already invited" }],
      extensions: { existingId: pending.id },
    });
  }

  const token = randomToken(32);
  const row: InvitationRow = {
    id: newId("invitation"),
    tenantId: ctx.tenant.id,
    email,
    role: input.role,
    tokenHash: await sha256Hex(token),
    invitedBy: ctx.actor.id,
    expiresAt: new Date(now.getTime() + input.expiresInDays * 24 * 60 * 60 * 1000),
    acceptedAt: null,
    revokedAt: null,
    createdAt: now,
  };
  const { tenantId: _tenantId, ...values } = row;
  try {
    await ctx.db.batch([
      ctx.db.insertQuery(invitations, values),
      auditQuery(ctx, { action: "create", entity: "invitation", entityId: row.id, after: publicInvitation(row) }),
      // Two admins inviting the same address at once: one invitation survives.
      batchGuard(db, tenants.slug, eq(tenants.id, ctx.tenant.id), onePendingInvitation(ctx, email, now)),
    ]);
  } catch (error) {
    if (isGuardFailure(error, tenants.slug)) {
      throw new ApiError("CONFLICT", `${email} already has a pending invitation`, {
        errors: [{ path: "body.email", message: "Already invited" }],
      });
    }
    throw error;
  }
  const mail = await invitationMail(ctx, db, row, token, input.appUrl);
  return { invitation: publicInvitation(row), mail };
}

/** True while exactly one pending invitation exists for the address (the one just written). */
function onePendingInvitation(ctx: TenantContext, email: string, now: Date): SQL {
  return sql`(select count(*) from ${invitations} where ${ctx.db.scope(invitations, pendingFor(email, now))}) = 1`;
}

async function invitationMail(
  ctx: TenantContext,
  db: Database,
  row: InvitationRow,
  token: string,
  appUrl: string,
): Promise<OutgoingMail> {
  const [tenant, inviter] = await Promise.all([
    db.query.tenants.findFirst({ where: eq(tenants.id, ctx.tenant.id) }),
    ctx.actor.type === "user" ? db.query.users.findFirst({ where: eq(users.id, ctx.actor.id) }) : undefined,
  ]);
  const organization = tenant?.name ?? "an organization";
  const who = inviter ? `${inviter.name} (${inviter.email}) invited you` : "You are invited";
  const days = Math.round((row.expiresAt.getTime() - row.createdAt.getTime()) / 86_400_000);
  return {
    tenantId: ctx.tenant.id,
    kind: "invitation",
    to: row.email,
    subject: `Join ${organization} on the CRM`,
    text: [
      `${who} to join ${organization} as ${row.role === "admin" ? "an admin" : `a ${row.role}`}.`,
      "",
      "Accept the invitation here:",
      appLink(appUrl, "/accept-invitation", token),
      "",
      `The link expires in ${days} day${days === 1 ? "" : "s"} (${row.expiresAt.toISOString()}).`,
    ].join("\n"),
    dedupeKey: `invitation:${row.id}`,
  };
}

export async function listInvitations(
  ctx: TenantContext,
  page: { limit: number; cursor?: string | undefined; status?: InvitationStatus | undefined },
) {
  const sort = parseSort(undefined, { createdAt: { column: invitations.createdAt, kind: "date" } }, "-createdAt");
  const now = new Date();
  const rows = await ctx.db.findMany(invitations, {
    where: and(
      page.status ? statusCondition(page.status, now) : undefined,
      afterCursor(sort, invitations.id, page.cursor),
    ),
    orderBy: orderFor(sort, invitations.id),
    limit: page.limit + 1,
  });
  const { rows: kept, nextCursor } = pageFromRows(rows, page.limit, sort, (r) => r.createdAt);
  return { data: kept.map((r) => publicInvitation(r, now.getTime())), nextCursor };
}

async function findInvitation(ctx: TenantContext, id: string): Promise<InvitationRow> {
  const row = await ctx.db.findFirst(invitations, eq(invitations.id, id));
  if (!row) throw new ApiError("NOT_FOUND", `Invitation ${id} was not found`);
  return row;
}

export async function getInvitation(ctx: TenantContext, id: string) {
  return publicInvitation(await findInvitation(ctx, id));
}

/** Revoking makes the link answer 410; an accepted invitation is history and stays. */
export async function revokeInvitation(ctx: TenantContext, id: string) {
  const row = await findInvitation(ctx, id);
  if (row.acceptedAt) throw new ApiError("CONFLICT", "This invitation was already accepted; remove the member instead");
  if (row.revokedAt) return publicInvitation(row);
  const revoked = { ...row, revokedAt: new Date() };
  await ctx.db.batch([
    ctx.db.updateQuery(
      invitations,
      { revokedAt: revoked.revokedAt },
      and(eq(invitations.id, id), isNull(invitations.acceptedAt))!,
    ),
    auditQuery(ctx, {
      action: "update",
      entity: "invitation",
      entityId: id,
      before: publicInvitation(row),
      after: publicInvitation(revoked),
    }),
  ]);
  return publicInvitation(revoked);
}
