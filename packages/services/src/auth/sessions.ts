import { type Database, memberships, newId, refreshTokens, type Role, tenants, users } from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { accessTokenTtlSeconds, signAccessToken } from "./access-token";
import { randomToken, sha256Hex } from "./crypto";

export const refreshTokenTtlMs = 30 * 24 * 60 * 60 * 1000;

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  tokenType: "Bearer";
  expiresIn: number;
  tenantId: string;
  role: Role;
}

/** A refresh-token row plus the access token that goes with it, for one tenant. */
export async function issueTokens(
  db: Database,
  secret: string,
  input: { userId: string; tenantId: string; role: Role; familyId?: string },
  /** Statements that must land together with the session (sign-up's tenant and owner). */
  extraQueries: BatchItem<"sqlite">[] = [],
): Promise<SessionTokens> {
  const familyId = input.familyId ?? newId("refreshToken");
  const refreshToken = `rt_${randomToken(32)}`;
  const insert = db.insert(refreshTokens).values({
    id: newId("refreshToken"),
    userId: input.userId,
    tenantId: input.tenantId,
    familyId,
    tokenHash: await sha256Hex(refreshToken),
    expiresAt: new Date(Date.now() + refreshTokenTtlMs),
  });
  await db.batch([...extraQueries, insert] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  const accessToken = await signAccessToken(
    { userId: input.userId, tenantId: input.tenantId, role: input.role, sessionId: familyId },
    secret,
  );
  return {
    accessToken,
    refreshToken,
    tokenType: "Bearer",
    expiresIn: accessTokenTtlSeconds,
    tenantId: input.tenantId,
    role: input.role,
  };
}

/**
 * Trades a refresh token for a new pair. A token that was already rotated is a replay:
 * someone holds a stolen copy, so the whole family (this login) is revoked.
 */
export async function rotateRefreshToken(db: Database, secret: string, presented: string): Promise<SessionTokens> {
  const invalid = () => new ApiError("UNAUTHORIZED", "The refresh token is invalid, expired or revoked");
  const row = await db.query.refreshTokens.findFirst({
    where: eq(refreshTokens.tokenHash, await sha256Hex(presented)),
  });
  if (!row || row.revokedAt) throw invalid();
  if (row.rotatedAt) {
    await revokeFamily(db, row.familyId);
    throw new ApiError("UNAUTHORIZED", "This refresh token was already used; the session has been revoked");
  }
  if (row.expiresAt.getTime() <= Date.now()) throw invalid();
  const membership = await db.query.memberships.findFirst({
    where: and(eq(memberships.tenantId, row.tenantId), eq(memberships.userId, row.userId)),
  });
  if (!membership) {
    await revokeFamily(db, row.familyId);
    throw invalid();
  }
  // Mark rotated only if nobody else rotated it first (two concurrent refreshes: one wins).
  const rotate = db
    .update(refreshTokens)
    .set({ rotatedAt: new Date() })
    .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.rotatedAt)))
    .returning({ id: refreshTokens.id });
  const [rotated] = await rotate;
  if (!rotated) {
    await revokeFamily(db, row.familyId);
    throw new ApiError("UNAUTHORIZED", "This refresh token was already used; the session has been revoked");
  }
  return issueTokens(db, secret, {
    userId: row.userId,
    tenantId: row.tenantId,
    role: membership.role,
    familyId: row.familyId,
  });
}

export async function revokeFamily(db: Database, familyId: string): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/** True when the session (refresh family) behind an access token has been revoked. */
export async function isSessionRevoked(db: Database, familyId: string): Promise<boolean> {
  const revoked = await db
    .select({ id: refreshTokens.id })
    .from(refreshTokens)
    .where(and(eq(refreshTokens.familyId, familyId), isNotNull(refreshTokens.revokedAt)))
    .limit(1);
  return revoked.length > 0;
}

export async function findMembership(db: Database, tenantId: string, userId: string) {
  return db.query.memberships.findFirst({
    where: and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)),
  });
}

/** The tenants a person belongs to, for /me and the tenant switcher. */
export async function listUserTenants(db: Database, userId: string) {
  return db
    .select({ id: tenants.id, name: tenants.name, slug: tenants.slug, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, userId))
    .orderBy(tenants.name);
}

export async function findUserByEmail(db: Database, email: string) {
  return db.query.users.findFirst({ where: eq(users.email, normalizeEmail(email)) });
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
