import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { JobMessage } from "../src/jobs/messages";
import worker from "../src/worker";
import { api, signupTenant } from "./harness";

function emailJob(dedupeKey: string, tenantId: string | null = null): JobMessage {
  return {
    type: "email.send",
    tenantId,
    kind: "test",
    to: "ada@example.com",
    subject: "Hello",
    text: "Hi Ada",
    dedupeKey,
  };
}

/**
 * Runs the Worker's own queue handler on a batch and returns what it acked and retried.
 * The plugin's getQueueResult drops retry() options, so the delay each message asked for
 * is read from a spy on the runtime's message object (it still calls through).
 */
async function consume(queue: string, messages: { id: string; attempts: number; body: unknown }[]) {
  const batch = createMessageBatch(
    queue,
    messages.map((m) => ({ ...m, timestamp: new Date() })),
  );
  const spies = batch.messages.map((message) => [message.id, vi.spyOn(message, "retry")] as const);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  const result = await getQueueResult(batch, ctx);
  const retryDelays = Object.fromEntries(
    spies.filter(([, spy]) => spy.mock.calls.length > 0).map(([id, spy]) => [id, spy.mock.calls[0]![0]?.delaySeconds]),
  );
  return { ...result, retryDelays };
}

async function outboxRows(dedupeKey: string) {
  const { results } = await env.DB.prepare("select * from outbox_messages where dedupe_key = ?")
    .bind(dedupeKey)
    .all<Record<string, unknown>>();
  return results;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the job queue", () => {
  it("an email.send sent to the JOBS queue is consumed into the outbox", async () => {
    const dedupeKey = `queue-${crypto.randomUUID()}`;
    await env.JOBS.send(emailJob(dedupeKey));
    const rows = await eventually(
      () => outboxRows(dedupeKey),
      (r) => r.length > 0,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: "test",
      to_address: "ada@example.com",
      subject: "Hello",
      text: "Hi Ada",
      transport: "dev-outbox",
    });
  });

  it("the consumer acks a handled message and writes one row even when it is delivered twice", async () => {
    const dedupeKey = `twice-${crypto.randomUUID()}`;
    const first = await consume("crm-jobs", [{ id: "m-1", attempts: 1, body: emailJob(dedupeKey, "tn_one") }]);
    expect(first.explicitAcks).toEqual(["m-1"]);
    expect(first.retryMessages).toEqual([]);
    // A redelivery arrives with another message id but the same logical email.
    const again = await consume("crm-jobs", [{ id: "m-2", attempts: 2, body: emailJob(dedupeKey, "tn_one") }]);
    expect(again.explicitAcks).toEqual(["m-2"]);
    const rows = await outboxRows(dedupeKey);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tenant_id).toBe("tn_one");
  });

  it("a transient failure (the database refusing the write) is retried with a growing backoff", async () => {
    const dedupeKey = `flaky-${crypto.randomUUID()}`;
    await env.DB.exec("ALTER TABLE outbox_messages RENAME TO outbox_messages_offline");
    let result;
    try {
      result = await consume(
        "crm-jobs",
        [1, 2, 3].map((attempts) => ({
          id: `retry-${attempts}`,
          attempts,
          body: emailJob(`${dedupeKey}-${attempts}`),
        })),
      );
    } finally {
      await env.DB.exec("ALTER TABLE outbox_messages_offline RENAME TO outbox_messages");
    }
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["retry-1", "retry-2", "retry-3"]);
    const delays = ["retry-1", "retry-2", "retry-3"].map((id) => result.retryDelays[id]!);
    // 10 s doubling per attempt, ±20 % jitter: the ranges do not overlap, so each delay is longer.
    expect(delays[0]).toBeGreaterThanOrEqual(8);
    expect(delays[0]).toBeLessThanOrEqual(12);
    expect(delays[1]).toBeGreaterThanOrEqual(16);
    expect(delays[1]).toBeLessThanOrEqual(24);
    expect(delays[2]).toBeGreaterThanOrEqual(32);
    expect(delays[2]).toBeLessThanOrEqual(48);
    const dead = await env.DB.prepare(
      "select count(*) as n from dead_letter_jobs where message_id like 'retry-%'",
    ).first<{ n: number }>();
    expect(dead?.n).toBe(0);

    // Once the database is back, the retried message goes through.
    const recovered = await consume("crm-jobs", [{ id: "retry-1", attempts: 2, body: emailJob(`${dedupeKey}-1`) }]);
    expect(recovered.explicitAcks).toEqual(["retry-1"]);
    expect(await outboxRows(`${dedupeKey}-1`)).toHaveLength(1);
  });

  it("a message that cannot be valid goes to the dead-letter store at once, not into retries", async () => {
    const result = await consume("crm-jobs", [{ id: "bad-1", attempts: 1, body: { type: "email.send", to: 42 } }]);
    expect(result.explicitAcks).toEqual(["bad-1"]);
    expect(result.retryMessages).toEqual([]);
    const row = await env.DB.prepare("select type, attempts from dead_letter_jobs where message_id = 'bad-1'").first();
    expect(row).toEqual({ type: "email.send", attempts: 1 });
  });

  it("a batch on the dead-letter queue is stored in dead_letter_jobs, once per message", async () => {
    const body = emailJob(`dlq-${crypto.randomUUID()}`, "tn_dead");
    const result = await consume("crm-jobs-dlq", [{ id: "dead-1", attempts: 6, body }]);
    expect(result.explicitAcks).toEqual(["dead-1"]);
    await consume("crm-jobs-dlq", [{ id: "dead-1", attempts: 6, body }]);
    const { results } = await env.DB.prepare("select * from dead_letter_jobs where message_id = 'dead-1'").all<
      Record<string, unknown>
    >();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ tenant_id: "tn_dead", type: "email.send", attempts: 6, replayed_at: null });
    expect(JSON.parse(results[0]!.body as string)).toEqual(body);
  });
});

describe("cron", () => {
  it("the hourly tick enqueues maintenance.purge, which deletes expired idempotency records", async () => {
    const owner = await signupTenant();
    for (const key of ["old", "fresh"]) {
      const response = await api("POST", "/api/v1/api-keys", {
        token: owner.accessToken,
        body: { name: key, scopes: ["contacts:read"] },
        headers: { "Idempotency-Key": key },
      });
      expect(response.status).toBe(201);
    }
    const count = async () =>
      (await env.DB.prepare("select count(*) as n from idempotency_keys where tenant_id = ?")
        .bind(owner.tenantId)
        .first<{ n: number }>())!.n;
    expect(await count()).toBe(2);
    const expired = Date.now() - 25 * 3600 * 1000;
    await env.DB.prepare(
      "update idempotency_keys set created_at = ? where tenant_id = ? and rowid = (select min(rowid) from idempotency_keys where tenant_id = ?)",
    )
      .bind(expired, owner.tenantId, owner.tenantId)
      .run();

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "17 * * * *", scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);
    // The tick only enqueues; the queue consumer does the purge.
    expect(await eventually(count, (n) => n === 1)).toBe(1);
    const left = await env.DB.prepare("select created_at from idempotency_keys where tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ created_at: number }>();
    expect(left!.created_at).toBeGreaterThan(Date.now() - 3600 * 1000);
  });

  it("maintenance.purge run directly keeps records younger than 24 hours", async () => {
    const owner = await signupTenant();
    await api("POST", "/api/v1/api-keys", {
      token: owner.accessToken,
      body: { name: "k", scopes: ["contacts:read"] },
      headers: { "Idempotency-Key": "young" },
    });
    await env.DB.prepare("update idempotency_keys set created_at = ? where tenant_id = ?")
      .bind(Date.now() - 23 * 3600 * 1000, owner.tenantId)
      .run();
    const result = await consume("crm-jobs", [{ id: "purge-1", attempts: 1, body: { type: "maintenance.purge" } }]);
    expect(result.explicitAcks).toEqual(["purge-1"]);
    const n = await env.DB.prepare("select count(*) as n from idempotency_keys where tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ n: number }>();
    expect(n!.n).toBe(1);
  });
});
