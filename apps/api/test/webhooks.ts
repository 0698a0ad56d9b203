import { createDb, tenantDb } from "@crm/db";
import { createTask, type TenantContext } from "@crm/services";
import { env } from "cloudflare:test";
import { expect, inject } from "vitest";
import type { Bindings } from "../src/env";
import { deliverWebhook, dispatchWebhooks } from "../src/jobs/webhook-jobs";
import type { JobMessage } from "../src/jobs/messages";
import { api, json, type TestTenant } from "./harness";

/** The Node HTTP server of test/webhook-receiver.ts. */
export const receiverUrl = () => inject("webhookReceiverUrl");

export interface Received {
  method: string;
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
}

/** A fresh receiver endpoint answering `responses` in turn (the last one repeats). */
export async function receiver(
  responses: { status: number; body?: string; headers?: Record<string, string>; delayMs?: number }[] = [
    { status: 200 },
  ],
) {
  const name = crypto.randomUUID();
  const script = await fetch(`${receiverUrl()}/__script/${name}`, {
    method: "PUT",
    body: JSON.stringify({ responses }),
  });
  expect(script.status).toBe(204);
  return {
    url: `${receiverUrl()}/hooks/${name}`,
    received: async (): Promise<Received[]> => (await fetch(`${receiverUrl()}/__log/${name}`)).json(),
  };
}

export async function createWebhook(owner: TestTenant, body: Record<string, unknown>) {
  const response = await api("POST", "/api/v1/webhooks", { token: owner.accessToken, body });
  expect(response.status, await response.clone().text()).toBe(201);
  return json(response);
}

export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Background work as the system would do it, for tests that drive the jobs by hand. */
export function systemContext(tenantId: string): TenantContext {
  return {
    tenant: { id: tenantId },
    actor: { type: "system", id: "test" },
    db: tenantDb(createDb(env.DB), tenantId),
    requestId: "req_test",
  };
}

/**
 * A JOBS queue that keeps what the handlers enqueue (with each message's delay) instead of
 * handing it to the consumer, so a test runs every step itself; mail still goes to the real
 * queue so it lands in the dev outbox.
 */
export function recordingQueue() {
  const sent: { body: JobMessage; delaySeconds: number }[] = [];
  const queue = {
    async send(body: JobMessage, options?: QueueSendOptions) {
      if (body.type === "email.send") await env.JOBS.send(body);
      else sent.push({ body, delaySeconds: options?.delaySeconds ?? 0 });
    },
    async sendBatch(messages: Iterable<MessageSendRequest<JobMessage>>) {
      for (const message of messages) await queue.send(message.body, { delaySeconds: message.delaySeconds ?? 0 });
    },
  };
  return { queue: queue as unknown as Queue, sent };
}

/**
 * Records one domain event the way a request does (a task created through the service, so
 * no request dispatches it in the background) and runs the dispatcher by hand. Returns the
 * first-attempt jobs it produced.
 */
export async function recordAndDispatch(tenantId: string, environment = "test") {
  await createTask(systemContext(tenantId), { title: `Webhook test ${crypto.randomUUID().slice(0, 8)}` });
  const { queue, sent } = recordingQueue();
  await dispatchWebhooks({ type: "webhooks.dispatch", tenantId }, {
    ...env,
    JOBS: queue,
    ENVIRONMENT: environment,
  } as Bindings);
  return sent.map((s) => s.body as Extract<JobMessage, { type: "webhook.deliver" }>);
}

/** Runs one delivery attempt by hand; returns what it enqueued next. */
export async function runAttempt(job: Extract<JobMessage, { type: "webhook.deliver" }>, environment = "test") {
  const { queue, sent } = recordingQueue();
  await deliverWebhook(job, { ...env, JOBS: queue, ENVIRONMENT: environment } as Bindings);
  return sent;
}

export async function deliveriesOf(owner: TestTenant, webhookId: string) {
  const response = await api("GET", `/api/v1/webhooks/${webhookId}/deliveries`, { token: owner.accessToken });
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response);
}
