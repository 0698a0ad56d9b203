import { apiKeys, type Database, newId } from "@crm/db";
import { ApiError } from "@crm/errors";
import { desc, eq, lt, sql } from "drizzle-orm";
import type { Scope } from "../access";
import { auditQuery } from "../audit";
import { randomToken, sha256Hex } from "../auth/crypto";
import type { TenantContext } from "../context";

export const apiKeyPrefix = "crm_";
export const defaultKeyRateLimit = 600;

export type ApiKeyRow = typeof apiKeys.$inferSelect;

/** What lists and the audit log show of a key: never the hash. */
export function publicApiKey(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as Scope[],
    rateLimit: row.rateLimit ?? defaultKeyRateLimit,
    ipAllowlist: row.ipAllowlist ?? [],
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    requestCount: row.requestCount,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
export type PublicApiKey = ReturnType<typeof publicApiKey>;

export interface CreateApiKeyInput {
  name: string;
  scopes: Scope[];
  expiresAt?: Date | null | undefined;
  rateLimit?: number | null | undefined;
  ipAllowlist?: string[] | null | undefined;
}

/** Creates a key; the secret is returned here once and only its SHA-256 is kept. */
export async function createApiKey(ctx: TenantContext, input: CreateApiKeyInput) {
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw new ApiError("VALIDATION_FAILED", "The expiry must be in the future", {
      errors: [{ path: "expiresAt", message: "Must be in the future" }],
    });
  }
  const secret = `${apiKeyPrefix}${randomToken(24)}`;
  const id = newId("apiKey");
  const row: Omit<ApiKeyRow, "tenantId"> = {
    id,
    name: input.name.trim(),
    prefix: secret.slice(0, 12),
    keyHash: await sha256Hex(secret),
    scopes: [...new Set(input.scopes)],
    rateLimit: input.rateLimit ?? null,
    ipAllowlist: input.ipAllowlist && input.ipAllowlist.length > 0 ? input.ipAllowlist : null,
    expiresAt: input.expiresAt ?? null,
    lastUsedAt: null,
    requestCount: 0,
    createdBy: ctx.actor.id,
    createdAt: new Date(),
    revokedAt: null,
  };
  await ctx.db.batch([
    ctx.db.insertQuery(apiKeys, row),
    auditQuery(ctx, {
      action: "create",
      entity: "api_key",
      entityId: id,
      after: publicApiKey({ ...row, tenantId: ctx.tenant.id }),
    }),
  ]);
  return { ...publicApiKey({ ...row, tenantId: ctx.tenant.id }), key: secret };
}

export async function listApiKeys(ctx: TenantContext, page: { limit: number; cursor?: string | undefined }) {
  const rows = await ctx.db.findMany(apiKeys, {
    where: page.cursor ? lt(apiKeys.id, page.cursor) : undefined,
    orderBy: desc(apiKeys.id),
    limit: page.limit + 1,
  });
  const data = rows.slice(0, page.limit).map(publicApiKey);
  return { data, nextCursor: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
}

export async function getApiKey(ctx: TenantContext, id: string) {
  const row = await ctx.db.findFirst(apiKeys, eq(apiKeys.id, id));
  if (!row) throw new ApiError("NOT_FOUND", `API key ${id} was not found`);
  return publicApiKey(row);
}

export async function revokeApiKey(ctx: TenantContext, id: string) {
  const row = await ctx.db.findFirst(apiKeys, eq(apiKeys.id, id));
  if (!row) throw new ApiError("NOT_FOUND", `API key ${id} was not found`);
  if (row.revokedAt) return publicApiKey(row);
  const revokedAt = new Date();
  await ctx.db.batch([
    ctx.db.updateQuery(apiKeys, { revokedAt }, eq(apiKeys.id, id)),
    auditQuery(ctx, {
      action: "update",
      entity: "api_key",
      entityId: id,
      before: publicApiKey(row),
      after: publicApiKey({ ...row, revokedAt }),
    }),
  ]);
  forgetCachedKey(row.keyHash);
  return publicApiKey({ ...row, revokedAt });
}

/**
 * Verified keys are cached in the isolate for a short time, so the hot path is a hash
 * and a Map lookup rather than a D1 read (as Unkey does). Revocation in this isolate is
 * immediate; other isolates see it within `keyCacheTtlMs`.
 */
export const keyCacheTtlMs = 10_000;
const keyCache = new Map<string, { row: ApiKeyRow | null; cachedAt: number }>();

export function forgetCachedKey(keyHash: string): void {
  keyCache.delete(keyHash);
}

export async function findApiKeyBySecret(db: Database, secret: string): Promise<ApiKeyRow | null> {
  const hash = await sha256Hex(secret);
  const now = Date.now();
  const cached = keyCache.get(hash);
  if (cached && now - cached.cachedAt < keyCacheTtlMs) return cached.row;
  const row = (await db.query.apiKeys.findFirst({ where: eq(apiKeys.keyHash, hash) })) ?? null;
  if (keyCache.size > 10_000) keyCache.clear();
  keyCache.set(hash, { row, cachedAt: now });
  return row;
}

/**
 * Usage counters are added up in the isolate and written with at most one D1 write in
 * flight per key: a busy key costs a few writes a second, not one per request.
 */
const pendingUsage = new Map<string, { count: number; lastUsedAt: Date; flushing: boolean }>();

export function recordKeyUsage(db: Database, keyId: string, waitUntil: (p: Promise<unknown>) => void): void {
  const entry = pendingUsage.get(keyId) ?? { count: 0, lastUsedAt: new Date(), flushing: false };
  entry.count += 1;
  entry.lastUsedAt = new Date();
  pendingUsage.set(keyId, entry);
  if (!entry.flushing) waitUntil(flushUsage(db, keyId));
}

export const usageSettleMs = 200;

async function flushUsage(db: Database, keyId: string): Promise<void> {
  const entry = pendingUsage.get(keyId);
  if (!entry || entry.flushing) return;
  entry.flushing = true;
  try {
    // Gather a busy key's requests for a moment: a few writes a second, not one per request.
    await new Promise((resolve) => setTimeout(resolve, usageSettleMs));
    while (entry.count > 0) {
      const count = entry.count;
      entry.count = 0;
      await db
        .update(apiKeys)
        .set({ requestCount: sql`${apiKeys.requestCount} + ${count}`, lastUsedAt: entry.lastUsedAt })
        .where(eq(apiKeys.id, keyId));
      if (entry.count > 0) await new Promise((resolve) => setTimeout(resolve, usageSettleMs));
    }
  } finally {
    entry.flushing = false;
    if (entry.count === 0) pendingUsage.delete(keyId);
  }
}

export function isKeyUsable(row: ApiKeyRow, now = Date.now()): boolean {
  return !row.revokedAt && (!row.expiresAt || row.expiresAt.getTime() > now);
}
