import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { api, json, signupTenant } from "../../../test/harness";
import { waitForMail } from "../../../test/people";
import {
  createWebhook,
  deliveriesOf,
  eventually,
  receiver,
  recordAndDispatch,
  recordingQueue,
  runAttempt,
  systemContext,
} from "../../../test/webhooks";
import { createTask } from "@crm/services";
import type { Bindings } from "../../env";
import { dispatchWebhooks } from "../../jobs/webhook-jobs";
import worker from "../../worker";

const anyIso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

function verifyWith(secret: string, delivery: { headers: Record<string, string>; body: string }) {
  return new Webhook(secret).verify(delivery.body, {
    "webhook-id": delivery.headers["webhook-id"]!,
    "webhook-timestamp": delivery.headers["webhook-timestamp"]!,
    "webhook-signature": delivery.headers["webhook-signature"]!,
  });
}

describe("webhook delivery", () => {
  it("reaches a real HTTP server signed per Standard Webhooks; after two 500s the third attempt succeeds, and the log shows all three", async () => {
    const owner = await signupTenant("Hooks E2E");
    const target = await receiver([
      { status: 500, body: "first failure" },
      { status: 500, body: "second failure" },
      { status: 200, body: "thanks" },
    ]);
    const hook = await createWebhook(owner, { url: target.url, eventTypes: ["contact.created"] });

    // The real path: the API write records the event; the request queues the dispatcher;
    // the queue consumer fans it out and POSTs it; the 5 s retry comes back through the queue.
    const contact = await json(
      await api("POST", "/api/v1/contacts", {
        token: owner.accessToken,
        body: { firstName: "Ada", lastName: "Lovelace" },
      }),
    );
    await api("PATCH", `/api/v1/contacts/${contact.id}`, { token: owner.accessToken, body: { title: "Countess" } });
    const twoAttempts = await eventually(target.received, (r) => r.length >= 2, 25_000);
    expect(twoAttempts).toHaveLength(2);
    // Nearly 5 s apart: the first step of the backoff schedule.
    expect(twoAttempts[1]!.receivedAt - twoAttempts[0]!.receivedAt).toBeGreaterThanOrEqual(4_500);

    // The third attempt is due in 5 minutes: move the schedule back, and the five-minute
    // Cron tick finds the overdue delivery and queues it.
    await env.DB.prepare("update webhook_deliveries set next_attempt_at = ? where tenant_id = ? and status = 'pending'")
      .bind(Date.now() - 10 * 60_000, owner.tenantId)
      .run();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "*/5 * * * *", scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);
    const received = await eventually(target.received, (r) => r.length >= 3);
    expect(received).toHaveLength(3);

    // Every attempt: POST, JSON, the same webhook-id, a signature the reference library accepts.
    for (const attempt of received) {
      expect(attempt.method).toBe("POST");
      expect(attempt.headers["content-type"]).toBe("application/json");
      expect(attempt.headers["webhook-id"]).toBe(received[0]!.headers["webhook-id"]);
      expect(attempt.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      const payload = verifyWith(hook.secret, attempt) as Record<string, unknown>;
      expect(payload).toEqual({
        type: "contact.created",
        timestamp: anyIso,
        data: expect.objectContaining({ id: contact.id, firstName: "Ada", lastName: "Lovelace" }),
      });
    }
    expect(() => verifyWith(`whsec_${btoa("another secret entirely, 32 byt")}`, received[0]!)).toThrow(
      "No matching signature found",
    );

    const log = await eventually(
      () => deliveriesOf(owner, hook.id),
      (page) => page.data[0]?.status === "succeeded",
    );
    // Only the subscribed event type: the update made no delivery.
    expect(log.data).toHaveLength(1);
    const delivery = log.data[0];
    expect(delivery).toMatchObject({
      id: received[0]!.headers["webhook-id"],
      webhookId: hook.id,
      eventType: "contact.created",
      status: "succeeded",
      attemptCount: 3,
      nextAttemptAt: null,
      lastStatusCode: 200,
      lastError: null,
      completedAt: anyIso,
    });
    expect(
      delivery.attempts.map((a: Record<string, unknown>) => [
        a.attempt,
        a.statusCode,
        a.outcome,
        a.responseExcerpt,
        a.error,
      ]),
    ).toEqual([
      [1, 500, "retrying", "first failure", "HTTP 500"],
      [2, 500, "retrying", "second failure", "HTTP 500"],
      [3, 200, "succeeded", "thanks", null],
    ]);
    for (const attempt of delivery.attempts) {
      expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
      expect(attempt.durationMs).toBeLessThan(10_000);
      expect(attempt.manual).toBe(false);
    }
    const [first, second, third] = delivery.attempts;
    expect(Date.parse(first.nextRetryAt) - Date.parse(first.attemptedAt)).toBe(5_000);
    expect(Date.parse(second.nextRetryAt) - Date.parse(second.attemptedAt)).toBe(5 * 60_000);
    expect(third.nextRetryAt).toBeNull();
  }, 60_000);

  it("a 410 stops at once: no retry is queued and the delivery has failed", async () => {
    const owner = await signupTenant("Gone");
    const target = await receiver([{ status: 410, body: "unsubscribed" }]);
    const hook = await createWebhook(owner, { url: target.url, eventTypes: ["task.created"] });
    const [job] = await recordAndDispatch(owner.tenantId);
    expect(job).toMatchObject({ type: "webhook.deliver", tenantId: owner.tenantId, attempt: 1, manual: false });
    expect(await runAttempt(job!)).toEqual([]);
    expect(await target.received()).toHaveLength(1);
    const [delivery] = (await deliveriesOf(owner, hook.id)).data;
    expect(delivery).toMatchObject({ status: "failed", attemptCount: 1, lastStatusCode: 410, nextAttemptAt: null });
    expect(delivery.attempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        statusCode: 410,
        outcome: "failed",
        responseExcerpt: "unsubscribed",
        nextRetryAt: null,
      }),
    ]);
    // A stale copy of the same message does nothing.
    expect(await runAttempt(job!)).toEqual([]);
    expect(await target.received()).toHaveLength(1);
  });

  it("a 429 waits for its Retry-After; a 500 for the schedule's next step; an unreachable receiver is retried too", async () => {
    const owner = await signupTenant("Slow down");
    const target = await receiver([
      { status: 429, body: "slow down", headers: { "retry-after": "120" } },
      { status: 503, body: "busy" },
    ]);
    const hook = await createWebhook(owner, { url: target.url, eventTypes: ["*"] });
    const [job] = await recordAndDispatch(owner.tenantId);
    const afterFirst = await runAttempt(job!);
    expect(afterFirst).toEqual([{ body: { ...job, attempt: 2 }, delaySeconds: 120 }]);
    let [delivery] = (await deliveriesOf(owner, hook.id)).data;
    expect(delivery.status).toBe("pending");
    expect(Date.parse(delivery.nextAttemptAt) - Date.parse(delivery.attempts[0].attemptedAt)).toBe(120_000);
    expect(delivery.attempts[0]).toMatchObject({ statusCode: 429, outcome: "retrying" });

    // Attempt 2 arriving before it is due is put back on the queue for the time left.
    const early = await runAttempt(afterFirst[0]!.body as typeof job & object);
    expect(early).toHaveLength(1);
    expect(early[0]!.body).toEqual({ ...job, attempt: 2 });
    expect(early[0]!.delaySeconds).toBeGreaterThan(100);
    expect(early[0]!.delaySeconds).toBeLessThanOrEqual(120);
    expect(await target.received()).toHaveLength(1);

    await env.DB.prepare("update webhook_deliveries set next_attempt_at = ? where id = ?")
      .bind(Date.now() - 1000, job!.deliveryId)
      .run();
    expect(await runAttempt({ ...job!, attempt: 2 })).toEqual([{ body: { ...job, attempt: 3 }, delaySeconds: 300 }]);
    [delivery] = (await deliveriesOf(owner, hook.id)).data;
    expect(delivery.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([429, 503]);

    // A receiver that cannot be reached is a network error, retried on schedule.
    await api("PATCH", `/api/v1/webhooks/${hook.id}`, {
      token: owner.accessToken,
      body: { url: "http://127.0.0.1:9/closed" },
    });
    await env.DB.prepare("update webhook_deliveries set next_attempt_at = ? where id = ?")
      .bind(Date.now() - 1000, job!.deliveryId)
      .run();
    expect(await runAttempt({ ...job!, attempt: 3 })).toEqual([{ body: { ...job, attempt: 4 }, delaySeconds: 1800 }]);
    [delivery] = (await deliveriesOf(owner, hook.id)).data;
    expect(delivery.attempts[2]).toMatchObject({
      statusCode: null,
      outcome: "retrying",
      error: expect.stringMatching(/^Network error/),
    });
  });

  it("keeps at most 1 KB of an answer, never half a character, and gives up waiting after 10 s", async () => {
    const owner = await signupTenant("Excerpts");
    const target = await receiver([{ status: 400, body: `a${"é".repeat(600)}` }]);
    const hook = await createWebhook(owner, { url: target.url, eventTypes: ["task.created"] });
    const [job] = await recordAndDispatch(owner.tenantId);
    await runAttempt(job!);
    let [delivery] = (await deliveriesOf(owner, hook.id)).data;
    // 1 + 511 × 2 bytes; the 1,024th byte is half an "é" and is dropped.
    expect(delivery.attempts[0].responseExcerpt).toBe(`a${"é".repeat(511)}`);
    expect(delivery.attempts[0]).toMatchObject({ statusCode: 400, outcome: "failed" });

    const slow = await receiver([{ status: 200, body: "too late", delayMs: 12_000 }]);
    await api("PATCH", `/api/v1/webhooks/${hook.id}`, { token: owner.accessToken, body: { url: slow.url } });
    await env.DB.prepare("update webhook_deliveries set status = 'pending', completed_at = null where id = ?")
      .bind(job!.deliveryId)
      .run();
    const next = await runAttempt({ ...job!, attempt: 2 });
    expect(next).toEqual([{ body: { ...job, attempt: 3 }, delaySeconds: 300 }]);
    [delivery] = (await deliveriesOf(owner, hook.id)).data;
    expect(delivery.attempts[1]).toMatchObject({
      attempt: 2,
      statusCode: null,
      outcome: "retrying",
      error: "Timed out after 10 s",
    });
    expect(delivery.attempts[1].durationMs).toBeGreaterThanOrEqual(9_900);
    expect(delivery.attempts[1].durationMs).toBeLessThan(12_000);
  }, 40_000);

  it("outside development a delivery to 10.0.0.1 is refused, logged as refused and not retried", async () => {
    const owner = await signupTenant("SSRF");
    // Saved while private targets are allowed (tests run as development does), delivered in production.
    const hook = await createWebhook(owner, { url: "https://10.0.0.1/hook", eventTypes: ["task.created"] });
    const [job] = await recordAndDispatch(owner.tenantId, "production");
    expect(await runAttempt(job!, "production")).toEqual([]);
    const [delivery] = (await deliveriesOf(owner, hook.id)).data;
    expect(delivery).toMatchObject({ status: "failed", attemptCount: 1, lastStatusCode: null });
    expect(delivery.attempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        outcome: "refused",
        statusCode: null,
        url: "https://10.0.0.1/hook",
        error: "Refused: Must not point to a private address",
        nextRetryAt: null,
      }),
    ]);
  });

  it("during a secret rotation both signatures are sent and each verifies with its own secret", async () => {
    const owner = await signupTenant("Rotation");
    const target = await receiver();
    const hook = await createWebhook(owner, { url: target.url, eventTypes: ["task.created"] });
    const rotated = await json(
      await api("POST", `/api/v1/webhooks/${hook.id}/rotate-secret`, { token: owner.accessToken }),
    );
    expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(rotated.secret).not.toBe(hook.secret);
    expect(Date.parse(rotated.previousSecretExpiresAt) - Date.parse(rotated.updatedAt)).toBe(24 * 3600_000);

    const [job] = await recordAndDispatch(owner.tenantId);
    await runAttempt(job!);
    const [during] = await target.received();
    const signatures = during!.headers["webhook-signature"]!.split(" ");
    expect(signatures).toHaveLength(2);
    // Each secret alone verifies the delivery (the library accepts any matching entry).
    expect(verifyWith(hook.secret, during!)).toMatchObject({ type: "task.created" });
    expect(verifyWith(rotated.secret, during!)).toMatchObject({ type: "task.created" });
    expect(() =>
      verifyWith(hook.secret, { ...during!, headers: { ...during!.headers, "webhook-signature": signatures[0]! } }),
    ).toThrow();
    expect(
      verifyWith(hook.secret, { ...during!, headers: { ...during!.headers, "webhook-signature": signatures[1]! } }),
    ).toBeTruthy();

    // Once the overlap is over only the new secret signs.
    await env.DB.prepare("update webhook_subscriptions set previous_secret_expires_at = ? where id = ?")
      .bind(Date.now() - 1000, hook.id)
      .run();
    const [next] = await recordAndDispatch(owner.tenantId);
    await runAttempt(next!);
    const after = (await target.received())[1]!;
    expect(after.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    expect(verifyWith(rotated.secret, after)).toMatchObject({ type: "task.created" });
    expect(() => verifyWith(hook.secret, after)).toThrow("No matching signature found");
  });

  it("five deliveries failing in a row disable the webhook, with an audit entry and mail to the owner", async () => {
    const owner = await signupTenant("Failing");
    const target = await receiver([{ status: 404, body: "no such hook" }]);
    const hook = await createWebhook(owner, { url: target.url, eventTypes: ["task.created"] });
    for (let i = 1; i <= 5; i++) {
      const [job] = await recordAndDispatch(owner.tenantId);
      await runAttempt(job!);
      const current = await json(await api("GET", `/api/v1/webhooks/${hook.id}`, { token: owner.accessToken }));
      expect(current.consecutiveFailures).toBe(i);
      expect(current.active).toBe(i < 5);
    }
    const disabled = await json(await api("GET", `/api/v1/webhooks/${hook.id}`, { token: owner.accessToken }));
    expect(disabled).toMatchObject({
      active: false,
      disabledAt: anyIso,
      disabledReason: "Disabled automatically after 5 deliveries in a row failed",
    });

    const audit = await json(await api("GET", `/api/v1/audit-log?entityId=${hook.id}`, { token: owner.accessToken }));
    const entry = audit.data.find((e: { actorType: string }) => e.actorType === "system");
    expect(entry).toMatchObject({
      action: "update",
      entity: "webhook",
      entityId: hook.id,
      actorId: "webhooks",
      via: "system",
      before: expect.objectContaining({ active: true }),
      after: expect.objectContaining({ active: false, disabledReason: disabled.disabledReason }),
    });
    const mail = await waitForMail(owner.email, "webhook_disabled");
    expect(mail.subject).toBe(`Webhook disabled: ${target.url}`);
    expect(mail.text).toContain(hook.id);

    // A disabled webhook gets no new deliveries, and nothing more reaches the receiver.
    expect(await recordAndDispatch(owner.tenantId)).toEqual([]);
    expect(await target.received()).toHaveLength(5);

    // Turning it back on clears the failure count.
    const revived = await json(
      await api("PATCH", `/api/v1/webhooks/${hook.id}`, { token: owner.accessToken, body: { active: true } }),
    );
    expect(revived).toMatchObject({ active: true, consecutiveFailures: 0, disabledAt: null, disabledReason: null });
  });

  it("events from before a subscription existed are never sent to it, and do not hold up newer ones", async () => {
    const owner = await signupTenant("Backlog");
    for (let i = 0; i < 3; i++) await createTask(systemContext(owner.tenantId), { title: `Before ${i}` });
    const target = await receiver();
    const hook = await createWebhook(owner, { url: target.url, eventTypes: ["task.created"] });
    const jobs = await recordAndDispatch(owner.tenantId);
    expect(jobs).toHaveLength(1);
    await runAttempt(jobs[0]!);
    const [received] = await target.received();
    expect(JSON.parse(received!.body).data.title).toMatch(/^Webhook test /);
    expect((await deliveriesOf(owner, hook.id)).data).toHaveLength(1);
    const pending = await env.DB.prepare(
      "select count(*) as n from domain_events where tenant_id = ? and dispatched_at is null",
    )
      .bind(owner.tenantId)
      .first<{ n: number }>();
    expect(pending?.n).toBe(0);
  });

  it("a second tenant never receives the first tenant's events", async () => {
    const a = await signupTenant("Tenant A");
    const b = await signupTenant("Tenant B");
    const targetA = await receiver();
    const targetB = await receiver();
    const hookA = await createWebhook(a, { url: targetA.url, eventTypes: ["*"] });
    const hookB = await createWebhook(b, { url: targetB.url, eventTypes: ["*"] });
    const jobs = await recordAndDispatch(a.tenantId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.tenantId).toBe(a.tenantId);
    await runAttempt(jobs[0]!);
    expect(await targetA.received()).toHaveLength(1);
    // Tenant B's dispatcher finds nothing of A's.
    const { queue, sent } = recordingQueue();
    await dispatchWebhooks({ type: "webhooks.dispatch", tenantId: b.tenantId }, { ...env, JOBS: queue } as Bindings);
    expect(sent).toEqual([]);
    expect(await targetB.received()).toEqual([]);
    expect((await deliveriesOf(b, hookB.id)).data).toEqual([]);
    expect((await deliveriesOf(a, hookA.id)).data).toHaveLength(1);
  });
});
