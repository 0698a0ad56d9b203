import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { expect } from "vitest";
import { sendLeaseMs } from "@crm/services";
import { api, json, type TestTenant, uniqueEmail } from "./harness";
import { eventually } from "./webhooks";
import worker from "../src/worker";

export const hourMs = 3600_000;

/** A sequence body with two email steps, Monday to Friday 09:00-17:00. */
export function sequenceBody(overrides: Record<string, unknown> = {}) {
  return {
    name: "Trial follow-up",
    sendWindow: { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" },
    steps: [
      {
        delayAmount: 0,
        delayUnit: "days",
        variants: [
          {
            key: "A",
            weight: 100,
            subject: "Hi {{contact.firstName|there}}",
            body: "Step one for {{contact.firstName|there}} at {{company.name|your company}}",
          },
        ],
      },
      {
        delayAmount: 12,
        delayUnit: "hours",
        variants: [{ key: "A", weight: 100, subject: "Following up, {{contact.firstName|there}}", body: "Step two" }],
      },
    ],
    ...overrides,
  };
}

export async function call(owner: { accessToken: string }, method: string, path: string, body?: unknown, status = 200) {
  const response = await api(method, path, { token: owner.accessToken, body });
  expect(response.status, await response.clone().text()).toBe(status);
  return status === 204 ? null : json(response);
}

export async function createContact(owner: TestTenant, fields: Record<string, unknown> = {}) {
  const email = uniqueEmail("lead");
  const contact = await call(
    owner,
    "POST",
    "/api/v1/contacts",
    {
      firstName: "Lead",
      emails: [{ address: email, primary: true, label: "work" }],
      ...fields,
    },
    201,
  );
  return { ...contact, email } as { id: string; email: string; firstName: string };
}

/** The outbox messages sent to an address, oldest first. */
export async function outboxFor(address: string) {
  const page = await json(await api("GET", `/api/v1/dev/outbox?to=${encodeURIComponent(address)}&limit=50`));
  return (page.data as { to: string; subject: string; text: string; createdAt: string }[]).slice().reverse();
}

/** The sequences' minute tick (its scheduled time is "now"). */
export async function sequencesTick(scheduledTime: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/**
 * The sequences' tick at `at`, then waits until the queue consumer has dealt with every
 * step the tick enqueued (no enrollment of the tenant still holds the tick's lease).
 */
export async function tickAndSettle(tenantId: string, at: number) {
  await sequencesTick(at);
  const leased = async () =>
    (
      await env.DB.prepare(
        "select count(*) as n from sequence_enrollments where tenant_id = ?1 and status = 'active' and due_at = ?2",
      )
        .bind(tenantId, at + sendLeaseMs)
        .first<{ n: number }>()
    )?.n ?? 0;
  const left = await eventually(leased, (n) => n === 0, 20_000);
  expect(left, "the queue did not take the tick's sends in time").toBe(0);
}

/** The UTC instant of a wall-clock time in a zone, on `day` (a UTC midnight) plus `days`. */
export function wallClock(zone: string, day: number, days: number, time: string): number {
  const [h, m] = time.split(":").map(Number) as [number, number];
  const d = new Date(day + days * 24 * hourMs);
  const guess = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), h, m);
  const offset = (at: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
      })
        .formatToParts(new Date(at))
        .map((p) => [p.type, p.value]),
    );
    return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!) - at;
  };
  const first = guess - offset(guess);
  return guess - offset(first);
}

/** The wall-clock "HH:MM" and ISO weekday of an instant in a zone. */
export function localClock(zone: string, at: number): { time: string; weekday: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
    })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday!) + 1;
  return { time: `${parts.hour}:${parts.minute}`, weekday };
}

/** The next Monday 00:00Z at least two days from now: the tests' simulated week. */
export function nextMonday(): number {
  const now = new Date(Date.now() + 2 * 24 * hourMs);
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // 0 = Monday
  return day + ((7 - weekday) % 7) * 24 * hourMs;
}

/** Delivers a raw MIME message to the Worker's email() handler as Email Routing would. */
export async function deliverEmail(raw: string, envelope: { from: string; to: string }) {
  const bytes = new TextEncoder().encode(raw.replace(/\r?\n/g, "\r\n"));
  let rejected: string | null = null;
  const message = {
    from: envelope.from,
    to: envelope.to,
    raw: new Response(bytes).body!,
    rawSize: bytes.length,
    headers: new Headers(),
    setReject(reason: string) {
      rejected = reason;
    },
    forward: async () => ({ messageId: "" }),
    reply: async () => ({ messageId: "" }),
  } as unknown as ForwardableEmailMessage;
  const ctx = createExecutionContext();
  await worker.email(message, env as never, ctx);
  await waitOnExecutionContext(ctx);
  return { rejected };
}
