import { domainEvents, newId, type TenantDb, webhookDeliveries, webhookSubscriptions } from "@crm/db";
import type { BatchItem } from "drizzle-orm/batch";
import { and, asc, eq, inArray, isNull, lt } from "drizzle-orm";
import { chunk } from "../records/insert-many";
import { subscribesTo } from "./subscriptions";

type EventRow = typeof domainEvents.$inferSelect;

/** Events fanned out per dispatcher run; a fuller outbox gets another run. */
export const dispatchBatchSize = 100;

/** The JSON body receivers get (Standard Webhooks' `type`, `timestamp`, `data`). */
export function eventPayload(event: Pick<EventRow, "type" | "createdAt" | "data" | "previous">): string {
  return JSON.stringify({
    type: event.type,
    timestamp: event.createdAt.toISOString(),
    data: event.data,
    ...(event.previous ? { previous: event.previous } : {}),
  });
}

/**
 * Fans this tenant's undispatched events out to its active subscriptions: one delivery per
 * event and subscription that wants it (and existed when it happened), then stamps the
 * events dispatched, all in one batch. Running twice is harmless: a delivery is unique per
 * (subscription, event), and only the run that inserted it returns its id to enqueue.
 * This is where a workflow engine would also take its events.
 */
export async function dispatchPendingEvents(db: TenantDb, now = new Date()) {
  const subscriptions = await db.findMany(webhookSubscriptions, { where: eq(webhookSubscriptions.active, true) });
  // Events from before every active subscription existed (all of them, with none) go to
  // nobody: stamped with one statement, so a backlog never delays fresh events.
  const oldest = subscriptions.reduce((min, sub) => (sub.createdAt < min ? sub.createdAt : min), now);
  const [, pending] = await db.batch([
    db.updateQuery(
      domainEvents,
      { dispatchedAt: now },
      and(isNull(domainEvents.dispatchedAt), lt(domainEvents.createdAt, oldest))!,
    ),
    db.selectQuery(domainEvents, {
      where: isNull(domainEvents.dispatchedAt),
      orderBy: asc(domainEvents.id),
      limit: dispatchBatchSize,
    }),
  ]);
  const events = pending as EventRow[];
  if (events.length === 0) return { deliveryIds: [] as string[], more: false };
  const deliveries = events.flatMap((event) =>
    subscriptions
      .filter((sub) => sub.createdAt <= event.createdAt && subscribesTo(sub, event.type))
      .map((sub) => ({
        id: newId("webhookDelivery"),
        subscriptionId: sub.id,
        eventId: event.id,
        eventType: event.type,
        payload: eventPayload(event),
        status: "pending" as const,
        attempts: 0,
        nextAttemptAt: now,
        lastStatusCode: null,
        lastError: null,
        createdAt: now,
        updatedAt: now,
        completedAt: null,
      })),
  );
  const inserts = chunk(deliveries, 7).map((rows) =>
    db.insertQuery(webhookDeliveries, rows).onConflictDoNothing().returning({ id: webhookDeliveries.id }),
  );
  const stamps = chunk(
    events.map((e) => e.id),
    90,
  ).map((ids) =>
    db.updateQuery(
      domainEvents,
      { dispatchedAt: now },
      and(inArray(domainEvents.id, ids), isNull(domainEvents.dispatchedAt))!,
    ),
  );
  const results = await db.batch([...inserts, ...stamps] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  const deliveryIds = (results.slice(0, inserts.length) as { id: string }[][]).flat().map((r) => r.id);
  return { deliveryIds, more: events.length === dispatchBatchSize };
}
