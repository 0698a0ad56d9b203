import {
  type Database,
  memberships,
  newId,
  tenantDb,
  users,
  webhookAttemptOutcomes,
  webhookAttempts,
  webhookDeliveries,
  webhookSubscriptions,
} from "@crm/db";
import type { BatchItem } from "drizzle-orm/batch";
import { and, eq, inArray, sql } from "drizzle-orm";
import { auditQuery } from "../audit";
import { batchGuard, isGuardFailure } from "../batch-guard";
import type { TenantContext } from "../context";
import type { OutgoingMail } from "../mail/transport";
import {
  autoDisableAfterFailures,
  deliveryTimeoutMs,
  finalStatusCodes,
  maxAutomaticAttempts,
  retryAfterSeconds,
  retryScheduleSeconds,
} from "./schedule";
import { signedHeaders } from "./signing";
import { forgetActiveWebhooks, publicWebhook, signingSecrets, type WebhookRow } from "./subscriptions";
import { type UrlPolicy, webhookUrlProblem } from "./url-policy";

/** One queued attempt: attempt numbers make a redelivered or stale message a no-op. */
export interface DeliveryJob {
  tenantId: string;
  deliveryId: string;
  attempt: number;
  /** Sent from the redeliver endpoint: tried once, even on a disabled subscription, never retried. */
  manual: boolean;
}

export type DeliveryResult =
  | { kind: "skipped"; reason: string }
  /** Not due yet (a wait longer than a queue delay allows): enqueue the same job again. */
  | { kind: "not_due"; delaySeconds: number }
  | {
      kind: "attempted";
      outcome: AttemptOutcome;
      statusCode: number | null;
      /** Enqueue attempt + 1 after this many seconds. */
      retryInSeconds: number | null;
      /** Mail to the tenant's owners and admins when this attempt disabled the subscription. */
      notices: OutgoingMail[];
    };

type AttemptOutcome = (typeof webhookAttemptOutcomes)[number];

const responseExcerptBytes = 1024;
const systemActor = { type: "system", id: "webhooks" } as const;

/**
 * Makes one delivery attempt: claims it (so two copies of a message cannot both send), POSTs
 * the signed payload with a 10 s timeout and no redirects, logs the attempt, and decides
 * what follows: success, a retry per the schedule (or a 429's Retry-After), or failure.
 * A subscription whose deliveries fail for good `autoDisableAfterFailures` times in a row
 * is disabled, with an audit entry and mail to the tenant's owners and admins.
 */
export async function attemptDelivery(
  database: Database,
  job: DeliveryJob,
  options: { policy: UrlPolicy; now?: () => Date; requestId: string },
): Promise<DeliveryResult> {
  const clock = options.now ?? (() => new Date());
  const db = tenantDb(database, job.tenantId);
  const ctx: TenantContext = { tenant: { id: job.tenantId }, actor: systemActor, db, requestId: options.requestId };
  // The delivery and its subscription in one round trip.
  const [deliveries, subscriptions] = await db.batch([
    db.selectQuery(webhookDeliveries, { where: eq(webhookDeliveries.id, job.deliveryId), limit: 1 }),
    db.selectQuery(webhookSubscriptions, {
      where: inArray(
        webhookSubscriptions.id,
        db.scopedSelectIds(
          webhookDeliveries,
          webhookDeliveries.subscriptionId,
          eq(webhookDeliveries.id, job.deliveryId),
        ),
      ),
      limit: 1,
    }),
  ]);
  const delivery = deliveries[0] as typeof webhookDeliveries.$inferSelect | undefined;
  const subscription = subscriptions[0] as WebhookRow | undefined;
  if (!delivery) return { kind: "skipped", reason: "no such delivery" };
  if (delivery.attempts !== job.attempt - 1) return { kind: "skipped", reason: "stale attempt" };
  if (delivery.status !== "pending") return { kind: "skipped", reason: `delivery is ${delivery.status}` };
  const started = clock();
  if (!job.manual && delivery.nextAttemptAt && delivery.nextAttemptAt.getTime() - started.getTime() > 1000) {
    return { kind: "not_due", delaySeconds: Math.ceil((delivery.nextAttemptAt.getTime() - started.getTime()) / 1000) };
  }
  if (!subscription) return { kind: "skipped", reason: "subscription deleted" };
  if (!subscription.active && !job.manual) {
    await db.update(
      webhookDeliveries,
      { status: "failed", lastError: "The webhook is disabled", completedAt: started, nextAttemptAt: null },
      and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.status, "pending"))!,
    );
    return { kind: "skipped", reason: "subscription disabled" };
  }
  const claimed = await db.update(
    webhookDeliveries,
    { status: "delivering", attempts: job.attempt, updatedAt: started },
    and(
      eq(webhookDeliveries.id, delivery.id),
      eq(webhookDeliveries.status, "pending"),
      eq(webhookDeliveries.attempts, job.attempt - 1),
    )!,
  );
  if (claimed.length === 0) return { kind: "skipped", reason: "claimed by another run" };

  const sent = await send(subscription, delivery, options.policy, started);
  const finishedAt = clock();
  const durationMs = Math.max(0, finishedAt.getTime() - started.getTime());

  let outcome: AttemptOutcome;
  let retryInSeconds: number | null = null;
  if (sent.refused) outcome = "refused";
  else if (sent.statusCode !== null && sent.statusCode >= 200 && sent.statusCode < 300) outcome = "succeeded";
  else {
    const retryable = sent.statusCode === null || !finalStatusCodes.has(sent.statusCode);
    if (retryable && !job.manual && job.attempt < maxAutomaticAttempts) {
      outcome = "retrying";
      retryInSeconds =
        (sent.statusCode === 429 ? retryAfterSeconds(sent.retryAfter, finishedAt) : null) ??
        retryScheduleSeconds[job.attempt - 1]!;
    } else outcome = "failed";
  }
  const nextRetryAt = retryInSeconds === null ? null : new Date(finishedAt.getTime() + retryInSeconds * 1000);
  const finished = outcome !== "retrying";
  const failedForGood = outcome === "failed" || outcome === "refused";

  const queries: BatchItem<"sqlite">[] = [
    db.insertQuery(webhookAttempts, {
      id: newId("webhookAttempt"),
      deliveryId: delivery.id,
      subscriptionId: subscription.id,
      attempt: job.attempt,
      manual: job.manual,
      url: subscription.url,
      statusCode: sent.statusCode,
      durationMs,
      responseExcerpt: sent.excerpt,
      error: sent.error,
      outcome,
      nextRetryAt,
      createdAt: finishedAt,
    }),
    db.updateQuery(
      webhookDeliveries,
      {
        status: outcome === "succeeded" ? "succeeded" : finished ? "failed" : "pending",
        nextAttemptAt: nextRetryAt,
        lastStatusCode: sent.statusCode,
        lastError: sent.error,
        completedAt: finished ? finishedAt : null,
        updatedAt: finishedAt,
      },
      eq(webhookDeliveries.id, delivery.id),
    ),
  ];
  if (outcome === "succeeded" && subscription.consecutiveFailures !== 0) {
    queries.push(
      db.updateQuery(webhookSubscriptions, { consecutiveFailures: 0 }, eq(webhookSubscriptions.id, subscription.id)),
    );
  }
  if (failedForGood) {
    queries.push(
      db.updateQuery(
        webhookSubscriptions,
        { consecutiveFailures: sql`${webhookSubscriptions.consecutiveFailures} + 1` },
        eq(webhookSubscriptions.id, subscription.id),
      ),
    );
  }
  await db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);

  const notices = failedForGood ? await disableIfFailing(ctx, database, subscription.id, finishedAt) : [];
  return { kind: "attempted", outcome, statusCode: sent.statusCode, retryInSeconds, notices };
}

interface SendResult {
  statusCode: number | null;
  excerpt: string | null;
  error: string | null;
  retryAfter: string | null;
  refused: boolean;
}

async function send(
  subscription: WebhookRow,
  delivery: typeof webhookDeliveries.$inferSelect,
  policy: UrlPolicy,
  now: Date,
): Promise<SendResult> {
  // Checked again at delivery time: the policy may be stricter here than where it was saved.
  const problem = webhookUrlProblem(subscription.url, policy);
  if (problem) {
    return { statusCode: null, excerpt: null, error: `Refused: ${problem}`, retryAfter: null, refused: true };
  }
  try {
    const response = await fetch(subscription.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "crm-webhooks/1",
        ...signedHeaders(delivery.id, now, delivery.payload, signingSecrets(subscription, now)),
      },
      body: delivery.payload,
      // A redirect could point anywhere, a private address included: it counts as a failed answer.
      redirect: "manual",
      signal: AbortSignal.timeout(deliveryTimeoutMs),
    });
    const excerpt = await readExcerpt(response);
    const ok = response.status >= 200 && response.status < 300;
    return {
      statusCode: response.status,
      excerpt,
      error: ok ? null : `HTTP ${response.status}`,
      retryAfter: response.headers.get("retry-after"),
      refused: false,
    };
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    const message =
      name === "TimeoutError" || name === "AbortError"
        ? `Timed out after ${deliveryTimeoutMs / 1000} s`
        : `Network error: ${error instanceof Error ? error.message : String(error)}`;
    return { statusCode: null, excerpt: null, error: message.slice(0, 500), retryAfter: null, refused: false };
  }
}

/** At most the first 1 KB of the body; the rest is never read. */
async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  while (size < responseExcerptBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  const bytes = new Uint8Array(Math.min(size, responseExcerptBytes));
  let offset = 0;
  for (const part of parts) {
    const take = part.subarray(0, bytes.length - offset);
    bytes.set(take, offset);
    offset += take.length;
    if (offset >= bytes.length) break;
  }
  // A multi-byte character cut at the limit decodes to U+FFFD: drop it.
  const text = new TextDecoder().decode(bytes).replace(/\uFFFD+$/, "");
  return text.length > 0 ? text : null;
}

/**
 * Disables the subscription if it has now failed `autoDisableAfterFailures` deliveries in a
 * row and is still active: the change and its audit entry in one batch, guarded so that two
 * failing attempts at once disable (and notify) once. Returns the notices to send.
 */
async function disableIfFailing(
  ctx: TenantContext,
  database: Database,
  subscriptionId: string,
  now: Date,
): Promise<OutgoingMail[]> {
  const before = await ctx.db.findFirst(webhookSubscriptions, eq(webhookSubscriptions.id, subscriptionId));
  if (!before || !before.active || before.consecutiveFailures < autoDisableAfterFailures) return [];
  const reason = `Disabled automatically after ${before.consecutiveFailures} deliveries in a row failed`;
  const after: WebhookRow = { ...before, active: false, disabledAt: now, disabledReason: reason, updatedAt: now };
  const mine = and(eq(webhookSubscriptions.tenantId, ctx.tenant.id), eq(webhookSubscriptions.id, subscriptionId))!;
  try {
    await ctx.db.batch([
      batchGuard(database, webhookSubscriptions.active, mine, sql`${webhookSubscriptions.active} = 1`),
      ctx.db.updateQuery(
        webhookSubscriptions,
        { active: false, disabledAt: now, disabledReason: reason, updatedAt: now },
        eq(webhookSubscriptions.id, subscriptionId),
      ),
      auditQuery(ctx, {
        action: "update",
        entity: "webhook",
        entityId: subscriptionId,
        before: publicWebhook(before),
        after: publicWebhook(after),
      }),
    ]);
  } catch (error) {
    if (isGuardFailure(error, webhookSubscriptions.active)) return [];
    throw error;
  }
  forgetActiveWebhooks(ctx.tenant.id);
  const admins = await ctx.db.findMany(memberships, { where: inArray(memberships.role, ["owner", "admin"]) });
  if (admins.length === 0) return [];
  const people = await database
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(
      inArray(
        users.id,
        admins.map((m) => m.userId),
      ),
    );
  return people.map((person) => ({
    tenantId: ctx.tenant.id,
    kind: "webhook_disabled",
    to: person.email,
    subject: `Webhook disabled: ${before.url}`,
    text: [
      `Hello ${person.name},`,
      "",
      `The webhook ${before.id} (${before.url}) was disabled: ${reason.toLowerCase()}.`,
      "No events are sent to it until it is turned back on (PATCH /api/v1/webhooks/" +
        before.id +
        ' with {"active": true}).',
      "Its delivery log shows the answers it gave.",
    ].join("\n"),
    dedupeKey: `webhook_disabled:${before.id}:${now.getTime()}:${person.id}`,
  }));
}
