import { newId, webhookAttempts, webhookDeliveries, webhookDeliveryStatuses } from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, asc, desc, eq, inArray, lt } from "drizzle-orm";
import { eventPayload } from "./dispatch";
import { findWebhook } from "./subscriptions";
import type { TenantContext } from "../context";

type DeliveryRow = typeof webhookDeliveries.$inferSelect;
type AttemptRow = typeof webhookAttempts.$inferSelect;
export type DeliveryStatus = (typeof webhookDeliveryStatuses)[number];

export function publicAttempt(row: AttemptRow) {
  return {
    attempt: row.attempt,
    manual: row.manual,
    url: row.url,
    outcome: row.outcome,
    statusCode: row.statusCode,
    durationMs: row.durationMs,
    responseExcerpt: row.responseExcerpt,
    error: row.error,
    nextRetryAt: row.nextRetryAt?.toISOString() ?? null,
    attemptedAt: row.createdAt.toISOString(),
  };
}

/** A delivery (one event for one subscription) with its attempt log, oldest attempt first. */
export function publicDelivery(row: DeliveryRow, attempts: AttemptRow[]) {
  return {
    id: row.id,
    webhookId: row.subscriptionId,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    attemptCount: row.attempts,
    nextAttemptAt: row.status === "pending" ? (row.nextAttemptAt?.toISOString() ?? null) : null,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    attempts: attempts.map(publicAttempt),
  };
}
export type PublicDelivery = ReturnType<typeof publicDelivery>;

async function withAttempts(ctx: TenantContext, rows: DeliveryRow[]): Promise<PublicDelivery[]> {
  if (rows.length === 0) return [];
  const attempts = await ctx.db.findMany(webhookAttempts, {
    where: inArray(
      webhookAttempts.deliveryId,
      rows.map((r) => r.id),
    ),
    orderBy: [asc(webhookAttempts.deliveryId), asc(webhookAttempts.attempt)],
  });
  const byDelivery = new Map<string, AttemptRow[]>();
  for (const attempt of attempts)
    byDelivery.set(attempt.deliveryId, [...(byDelivery.get(attempt.deliveryId) ?? []), attempt]);
  return rows.map((row) => publicDelivery(row, byDelivery.get(row.id) ?? []));
}

/** A subscription's deliveries, newest first, each with its attempts. */
export async function listWebhookDeliveries(
  ctx: TenantContext,
  webhookId: string,
  page: { limit: number; cursor?: string | undefined; status?: DeliveryStatus | undefined },
) {
  await findWebhook(ctx, webhookId);
  const rows = await ctx.db.findMany(webhookDeliveries, {
    where: and(
      eq(webhookDeliveries.subscriptionId, webhookId),
      page.status ? eq(webhookDeliveries.status, page.status) : undefined,
      page.cursor ? lt(webhookDeliveries.id, page.cursor) : undefined,
    ),
    orderBy: desc(webhookDeliveries.id),
    limit: page.limit + 1,
  });
  const data = await withAttempts(ctx, rows.slice(0, page.limit));
  return { data, nextCursor: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
}

async function findDelivery(ctx: TenantContext, webhookId: string, deliveryId: string): Promise<DeliveryRow> {
  await findWebhook(ctx, webhookId);
  const row = await ctx.db.findFirst(
    webhookDeliveries,
    and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.subscriptionId, webhookId))!,
  );
  if (!row) throw new ApiError("NOT_FOUND", `Delivery ${deliveryId} of webhook ${webhookId} was not found`);
  return row;
}

export async function getWebhookDelivery(ctx: TenantContext, webhookId: string, deliveryId: string) {
  const [delivery] = await withAttempts(ctx, [await findDelivery(ctx, webhookId, deliveryId)]);
  return delivery!;
}

/**
 * Queues the delivery for one more attempt now, whatever its state (a succeeded one is sent
 * again: receivers dedupe by `webhook-id`). Returns the attempt number to enqueue.
 */
export async function redeliverWebhookDelivery(ctx: TenantContext, webhookId: string, deliveryId: string) {
  const row = await findDelivery(ctx, webhookId, deliveryId);
  if (row.status === "delivering") {
    throw new ApiError("CONFLICT", `Delivery ${deliveryId} is being attempted right now; retry in a few seconds`);
  }
  const now = new Date();
  const updated = await ctx.db.update(
    webhookDeliveries,
    { status: "pending", nextAttemptAt: now, completedAt: null, updatedAt: now },
    and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.attempts, row.attempts))!,
  );
  if (updated.length === 0) throw new ApiError("CONFLICT", `Delivery ${deliveryId} changed meanwhile; retry`);
  return { delivery: await getWebhookDelivery(ctx, webhookId, deliveryId), attempt: row.attempts + 1 };
}

/** A `webhook.test` delivery for this subscription (even a disabled one), to be enqueued at once. */
export async function createTestDelivery(ctx: TenantContext, webhookId: string) {
  const webhook = await findWebhook(ctx, webhookId);
  const now = new Date();
  const eventId = newId("domainEvent");
  const row: Omit<DeliveryRow, "tenantId"> = {
    id: newId("webhookDelivery"),
    subscriptionId: webhook.id,
    eventId,
    eventType: "webhook.test",
    payload: eventPayload({
      type: "webhook.test",
      createdAt: now,
      data: { webhookId: webhook.id, eventId, message: "A test event sent from the API" },
      previous: null,
    }),
    status: "pending",
    attempts: 0,
    nextAttemptAt: now,
    lastStatusCode: null,
    lastError: null,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
  };
  await ctx.db.insertQuery(webhookDeliveries, row);
  return publicDelivery({ ...row, tenantId: ctx.tenant.id }, []);
}
