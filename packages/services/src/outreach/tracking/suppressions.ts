import { newId, suppressions } from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, desc, eq, lt } from "drizzle-orm";
import { auditQuery } from "../../audit";
import type { TenantContext } from "../../context";
import { normaliseAddress, type SuppressionReason } from "./shared";

export type SuppressionRow = typeof suppressions.$inferSelect;

export function publicSuppression(row: SuppressionRow) {
  return {
    id: row.id,
    address: row.address,
    reason: row.reason,
    source: row.source,
    createdAt: row.createdAt.toISOString(),
  };
}
export type PublicSuppression = ReturnType<typeof publicSuppression>;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phonePattern = /^\+[1-9]\d{6,14}$/;

/** An email address (stored lower-cased) or an E.164 phone number; null when it is neither. */
export function suppressionAddress(value: string): string | null {
  const address = normaliseAddress(value);
  return emailPattern.test(address) || phonePattern.test(address) ? address : null;
}

export async function listSuppressions(
  ctx: TenantContext,
  filters: { reason?: SuppressionReason | undefined; address?: string | undefined },
  page: { limit: number; cursor?: string | undefined },
) {
  const s = suppressions;
  const rows = await ctx.db.findMany(s, {
    where: and(
      page.cursor ? lt(s.id, page.cursor) : undefined,
      filters.reason ? eq(s.reason, filters.reason) : undefined,
      filters.address ? eq(s.address, normaliseAddress(filters.address)) : undefined,
    ),
    orderBy: desc(s.id),
    limit: page.limit + 1,
  });
  const data = rows.slice(0, page.limit).map(publicSuppression);
  return { data, nextCursor: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
}

/** Adds an address by hand (reason `manual` unless given). 409 with `existingId` when it is already listed. */
export async function addSuppression(
  ctx: TenantContext,
  input: { address: string; reason?: SuppressionReason | undefined },
) {
  const address = suppressionAddress(input.address);
  if (!address) {
    throw new ApiError("VALIDATION_FAILED", "The request has invalid fields", {
      errors: [{ path: "body.address", message: "An email address or an E.164 phone number (+14155550100)" }],
    });
  }
  const existing = await ctx.db.findFirst(suppressions, eq(suppressions.address, address));
  if (existing) {
    throw new ApiError("CONFLICT", `${address} is already suppressed`, { extensions: { existingId: existing.id } });
  }
  const now = new Date();
  const row: SuppressionRow = {
    id: newId("suppression"),
    tenantId: ctx.tenant.id,
    address,
    reason: input.reason ?? "manual",
    source: ctx.actor.id,
    createdAt: now,
  };
  const { tenantId: _tenantId, ...values } = row;
  await ctx.db.batch([
    ctx.db.insertQuery(suppressions, values),
    auditQuery(ctx, { action: "create", entity: "suppression", entityId: row.id, after: publicSuppression(row) }),
  ]);
  return publicSuppression(row);
}

export async function getSuppression(ctx: TenantContext, id: string) {
  const row = await ctx.db.findFirst(suppressions, eq(suppressions.id, id));
  if (!row) throw new ApiError("NOT_FOUND", `Suppression ${id} was not found`);
  return row;
}

/** Lets the address be sent to again (a contact's own opt-out or do-not-contact still applies). */
export async function removeSuppression(ctx: TenantContext, id: string): Promise<void> {
  const row = await getSuppression(ctx, id);
  await ctx.db.batch([
    ctx.db.deleteQuery(suppressions, eq(suppressions.id, id)),
    auditQuery(ctx, { action: "delete", entity: "suppression", entityId: id, before: publicSuppression(row) }),
  ]);
}

/** Whether the tenant never sends to this address. */
export async function isAddressSuppressed(ctx: TenantContext, address: string): Promise<boolean> {
  return (await ctx.db.count(suppressions, eq(suppressions.address, normaliseAddress(address)))) > 0;
}
