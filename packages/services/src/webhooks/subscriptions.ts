import { newId, webhookSubscriptions } from "@crm/db";
import { ApiError } from "@crm/errors";
import { desc, eq, lt } from "drizzle-orm";
import { auditQuery } from "../audit";
import type { TenantContext } from "../context";
import { isDomainEventType } from "../events/types";
import { newWebhookSecret } from "./signing";
import { type UrlPolicy, webhookUrlProblem } from "./url-policy";

export type WebhookRow = typeof webhookSubscriptions.$inferSelect;

/** How long the old secret keeps signing after a rotation. */
export const secretOverlapMs = 24 * 3600 * 1000;

/** What lists and the audit log show of a subscription: never its secrets. */
export function publicWebhook(row: WebhookRow) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    active: row.active,
    consecutiveFailures: row.consecutiveFailures,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    disabledReason: row.disabledReason,
    previousSecretExpiresAt:
      row.previousSecretExpiresAt && row.previousSecret ? row.previousSecretExpiresAt.toISOString() : null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicWebhook = ReturnType<typeof publicWebhook>;

export interface WebhookInput {
  url?: string | undefined;
  eventTypes?: string[] | undefined;
  active?: boolean | undefined;
  description?: string | null | undefined;
}

/** Whether the subscription wants events of this type. */
export function subscribesTo(row: Pick<WebhookRow, "eventTypes">, type: string): boolean {
  return row.eventTypes.includes("*") || row.eventTypes.includes(type);
}

function checkInput(input: WebhookInput, policy: UrlPolicy): void {
  const errors: { path: string; message: string }[] = [];
  if (input.url !== undefined) {
    const problem = webhookUrlProblem(input.url, policy);
    if (problem) errors.push({ path: "body.url", message: problem });
  }
  input.eventTypes?.forEach((type, i) => {
    if (type !== "*" && !isDomainEventType(type))
      errors.push({ path: `body.eventTypes.${i}`, message: `Unknown event type ${JSON.stringify(type)}` });
  });
  if (errors.length > 0) throw new ApiError("VALIDATION_FAILED", "The request has invalid fields", { errors });
}

function eventTypesOf(types: string[]): string[] {
  return types.includes("*") ? ["*"] : [...new Set(types)];
}

/**
 * Whether a tenant has an active subscription, cached in the isolate for a few seconds: the
 * API asks after every write that recorded events, and most tenants have none. Changes made
 * in this isolate update the cache at once; events another isolate gates off meanwhile stay
 * pending and the Cron sweep dispatches them.
 */
const activeCacheTtlMs = 10_000;
const activeCache = new Map<string, { active: boolean; cachedAt: number }>();

export async function tenantHasActiveWebhooks(ctx: Pick<TenantContext, "db" | "tenant">): Promise<boolean> {
  const cached = activeCache.get(ctx.tenant.id);
  if (cached && Date.now() - cached.cachedAt < activeCacheTtlMs) return cached.active;
  const active = (await ctx.db.count(webhookSubscriptions, eq(webhookSubscriptions.active, true))) > 0;
  if (activeCache.size > 10_000) activeCache.clear();
  activeCache.set(ctx.tenant.id, { active, cachedAt: Date.now() });
  return active;
}

export function forgetActiveWebhooks(tenantId: string): void {
  activeCache.delete(tenantId);
}

export async function createWebhook(
  ctx: TenantContext,
  input: WebhookInput & { url: string; eventTypes: string[] },
  policy: UrlPolicy,
) {
  checkInput(input, policy);
  const now = new Date();
  const row: WebhookRow = {
    id: newId("webhook"),
    tenantId: ctx.tenant.id,
    url: input.url,
    description: input.description?.trim() || null,
    eventTypes: eventTypesOf(input.eventTypes),
    active: input.active ?? true,
    secret: newWebhookSecret(),
    previousSecret: null,
    previousSecretExpiresAt: null,
    consecutiveFailures: 0,
    disabledAt: null,
    disabledReason: null,
    createdBy: ctx.actor.id,
    createdAt: now,
    updatedAt: now,
  };
  const { tenantId: _tenantId, ...values } = row;
  await ctx.db.batch([
    ctx.db.insertQuery(webhookSubscriptions, values),
    auditQuery(ctx, { action: "create", entity: "webhook", entityId: row.id, after: publicWebhook(row) }),
  ]);
  forgetActiveWebhooks(ctx.tenant.id);
  return { ...publicWebhook(row), secret: row.secret };
}

export async function listWebhooks(ctx: TenantContext, page: { limit: number; cursor?: string | undefined }) {
  const rows = await ctx.db.findMany(webhookSubscriptions, {
    where: page.cursor ? lt(webhookSubscriptions.id, page.cursor) : undefined,
    orderBy: desc(webhookSubscriptions.id),
    limit: page.limit + 1,
  });
  const data = rows.slice(0, page.limit).map(publicWebhook);
  return { data, nextCursor: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
}

export async function findWebhook(ctx: TenantContext, id: string): Promise<WebhookRow> {
  const row = await ctx.db.findFirst(webhookSubscriptions, eq(webhookSubscriptions.id, id));
  if (!row) throw new ApiError("NOT_FOUND", `Webhook ${id} was not found`);
  return row;
}

export async function getWebhook(ctx: TenantContext, id: string) {
  return publicWebhook(await findWebhook(ctx, id));
}

/** Changes a subscription. Turning it back on clears an automatic disable and its failure count. */
export async function updateWebhook(ctx: TenantContext, id: string, input: WebhookInput, policy: UrlPolicy) {
  const before = await findWebhook(ctx, id);
  checkInput(input, policy);
  const reactivated = input.active === true && !before.active;
  const after: WebhookRow = {
    ...before,
    url: input.url ?? before.url,
    description: input.description === undefined ? before.description : input.description?.trim() || null,
    eventTypes: input.eventTypes ? eventTypesOf(input.eventTypes) : before.eventTypes,
    active: input.active ?? before.active,
    ...(reactivated ? { consecutiveFailures: 0, disabledAt: null, disabledReason: null } : {}),
    updatedAt: new Date(),
  };
  if (
    JSON.stringify({ ...publicWebhook(before), updatedAt: null }) ===
    JSON.stringify({ ...publicWebhook(after), updatedAt: null })
  )
    return publicWebhook(before);
  await ctx.db.batch([
    ctx.db.updateQuery(
      webhookSubscriptions,
      {
        url: after.url,
        description: after.description,
        eventTypes: after.eventTypes,
        active: after.active,
        consecutiveFailures: after.consecutiveFailures,
        disabledAt: after.disabledAt,
        disabledReason: after.disabledReason,
        updatedAt: after.updatedAt,
      },
      eq(webhookSubscriptions.id, id),
    ),
    auditQuery(ctx, {
      action: "update",
      entity: "webhook",
      entityId: id,
      before: publicWebhook(before),
      after: publicWebhook(after),
    }),
  ]);
  forgetActiveWebhooks(ctx.tenant.id);
  return publicWebhook(after);
}

/** Deletes a subscription with its deliveries and their log. */
export async function deleteWebhook(ctx: TenantContext, id: string): Promise<void> {
  const before = await findWebhook(ctx, id);
  await ctx.db.batch([
    ctx.db.deleteQuery(webhookSubscriptions, eq(webhookSubscriptions.id, id)),
    auditQuery(ctx, { action: "delete", entity: "webhook", entityId: id, before: publicWebhook(before) }),
  ]);
  forgetActiveWebhooks(ctx.tenant.id);
}

/**
 * A new signing secret. The current one becomes the previous secret and keeps signing
 * alongside the new one for `secretOverlapMs`, so receivers can switch without a gap.
 */
export async function rotateWebhookSecret(ctx: TenantContext, id: string, now = new Date()) {
  const before = await findWebhook(ctx, id);
  const after: WebhookRow = {
    ...before,
    secret: newWebhookSecret(),
    previousSecret: before.secret,
    previousSecretExpiresAt: new Date(now.getTime() + secretOverlapMs),
    updatedAt: now,
  };
  await ctx.db.batch([
    ctx.db.updateQuery(
      webhookSubscriptions,
      {
        secret: after.secret,
        previousSecret: after.previousSecret,
        previousSecretExpiresAt: after.previousSecretExpiresAt,
        updatedAt: now,
      },
      eq(webhookSubscriptions.id, id),
    ),
    auditQuery(ctx, {
      action: "update",
      entity: "webhook",
      entityId: id,
      before: publicWebhook(before),
      after: publicWebhook(after),
    }),
  ]);
  return { ...publicWebhook(after), secret: after.secret };
}

/** The secrets that sign a delivery now: the current one, and the previous one during its overlap. */
export function signingSecrets(row: WebhookRow, now: Date): string[] {
  return row.previousSecret && row.previousSecretExpiresAt && row.previousSecretExpiresAt > now
    ? [row.secret, row.previousSecret]
    : [row.secret];
}
