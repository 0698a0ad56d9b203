import { type Database, domainEvents, webhookDeliveries } from "@crm/db";
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { DeliveryJob } from "./deliver";

/** Events left pending this long were missed by their request's dispatch (or gated off). */
const eventGraceMs = 30_000;
/** A pending delivery this late lost its queue message. */
const overdueMs = 5 * 60_000;
/** An attempt takes at most 10 s; one `delivering` this long died with its worker. */
const stuckMs = 2 * 60_000;
const sweepLimit = 1000;

/**
 * What the Cron tick hands to the queue: tenants with undispatched events, and deliveries
 * whose next attempt is overdue (their message was lost, or enqueueing it failed). Attempts
 * that died mid-flight are put back to pending first. Duplicates are harmless: an attempt
 * is claimed by its number. Across tenants, like the other maintenance work; it reads the
 * partial indexes of unfinished rows only.
 */
export async function findDueWebhookWork(db: Database, now = new Date()) {
  const tenants = await db
    .selectDistinct({ tenantId: domainEvents.tenantId })
    .from(domainEvents)
    .where(and(isNull(domainEvents.dispatchedAt), lt(domainEvents.createdAt, new Date(now.getTime() - eventGraceMs))))
    .limit(sweepLimit);
  await db
    .update(webhookDeliveries)
    .set({ status: "pending", nextAttemptAt: now })
    .where(
      and(
        sql`${webhookDeliveries.status} in ('pending', 'delivering')`,
        eq(webhookDeliveries.status, "delivering"),
        lt(webhookDeliveries.updatedAt, new Date(now.getTime() - stuckMs)),
      ),
    );
  const overdue = await db
    .select({
      tenantId: webhookDeliveries.tenantId,
      id: webhookDeliveries.id,
      attempts: webhookDeliveries.attempts,
    })
    .from(webhookDeliveries)
    .where(
      and(
        sql`${webhookDeliveries.status} in ('pending', 'delivering')`,
        eq(webhookDeliveries.status, "pending"),
        lt(webhookDeliveries.nextAttemptAt, new Date(now.getTime() - overdueMs)),
      ),
    )
    .limit(sweepLimit);
  const deliveries: DeliveryJob[] = overdue.map((d) => ({
    tenantId: d.tenantId,
    deliveryId: d.id,
    attempt: d.attempts + 1,
    manual: false,
  }));
  return { tenantIds: tenants.map((t) => t.tenantId), deliveries };
}
