import { env } from "cloudflare:test";
import { expect } from "vitest";
import { api, json, type TestTenant } from "../../../test/harness";

export async function call(owner: { accessToken: string }, method: string, path: string, body?: unknown, status = 200) {
  const response = await api(method, path, { token: owner.accessToken, body });
  expect(response.status, await response.clone().text()).toBe(status);
  return status === 204 ? null : json(response);
}

let seq = 0;
const id = (prefix: string) =>
  `${prefix}_test${Date.now().toString(36)}${(seq += 1)}${Math.random().toString(36).slice(2, 8)}`;

export interface SeededStep {
  id: string;
  variants: { key: string; weight: number; subject?: string; body: string }[];
}

/**
 * A sequence with email steps, written straight to D1: the sequences API is another part of
 * the outreach work, and campaigns only need its rows.
 */
export async function seedSequence(
  tenant: TestTenant,
  options: { status?: string; steps?: SeededStep["variants"][]; delays?: [number, string][] } = {},
) {
  const sequenceId = id("seq");
  const now = Date.now();
  const steps: SeededStep[] = (
    options.steps ?? [[{ key: "A", weight: 100, subject: "Hi {{contact.firstName|there}}", body: "Hello" }]]
  ).map((variants) => ({ id: id("sqs"), variants }));
  await env.DB.batch([
    env.DB.prepare(
      `insert into sequences (id, tenant_id, name, status, send_window, default_time_zone, exit_rules, created_by, created_at, updated_at)
       values (?, ?, 'Welcome', ?, ?, 'UTC', ?, 'us_test', ?, ?)`,
    ).bind(
      sequenceId,
      tenant.tenantId,
      options.status ?? "active",
      JSON.stringify({ days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" }),
      JSON.stringify({ onReply: true, onBounce: true, onUnsubscribe: true, onDealWon: true, onMeetingBooked: true }),
      now,
      now,
    ),
    ...steps.map((step, i) =>
      env.DB.prepare(
        `insert into sequence_steps (id, tenant_id, sequence_id, position, channel, delay_amount, delay_unit, variants, created_at, updated_at)
         values (?, ?, ?, ?, 'email', ?, ?, ?, ?, ?)`,
      ).bind(
        step.id,
        tenant.tenantId,
        sequenceId,
        i + 1,
        options.delays?.[i]?.[0] ?? (i === 0 ? 0 : 2),
        options.delays?.[i]?.[1] ?? "days",
        JSON.stringify(step.variants),
        now,
        now,
      ),
    ),
  ]);
  return { sequenceId, steps };
}

export async function createContact(owner: TestTenant, body: Record<string, unknown>) {
  return call(owner, "POST", "/api/v1/contacts", body, 201);
}

export async function enrollmentsOf(tenantId: string, campaignId: string) {
  const { results } = await env.DB.prepare(
    `select contact_id as contactId, status, source, campaign_id as campaignId, next_step_id as nextStepId,
            due_at as dueAt, paused_at as pausedAt, enrolled_by as enrolledBy, sequence_id as sequenceId
       from sequence_enrollments where tenant_id = ? and campaign_id = ? order by contact_id`,
  )
    .bind(tenantId, campaignId)
    .all<{
      contactId: string;
      status: string;
      source: string;
      campaignId: string;
      nextStepId: string;
      dueAt: number;
      pausedAt: number | null;
      enrolledBy: string;
      sequenceId: string;
    }>();
  return results;
}

export interface SeededMessage {
  contactId: string;
  stepId: string;
  variantKey: string;
  campaignId: string;
  sequenceId: string;
  /** null: a test send (no enrollment). */
  enrollment?: boolean;
  status?: "sent" | "skipped" | "failed";
  sentAt?: number | null;
  openedAt?: number | null;
  openCount?: number;
  clickedAt?: number | null;
  repliedAt?: number | null;
  bouncedAt?: number | null;
  unsubscribedAt?: number | null;
}

/**
 * Outreach messages as the send pipeline and tracking leave them, written to D1 so the
 * analytics maths is tested on exact rows (sending is tested where it is built).
 */
export async function seedMessages(tenantId: string, messages: SeededMessage[]) {
  const { results: enrollments } = await env.DB.prepare(
    "select id, contact_id as contactId, campaign_id as campaignId from sequence_enrollments where tenant_id = ?",
  )
    .bind(tenantId)
    .all<{ id: string; contactId: string; campaignId: string }>();
  await env.DB.batch(
    messages.map((m) => {
      const enrollment =
        m.enrollment === false
          ? null
          : enrollments.find((e) => e.contactId === m.contactId && e.campaignId === m.campaignId)!.id;
      const messageId = id("om");
      return env.DB.prepare(
        `insert into outreach_messages (id, tenant_id, dedupe_key, channel, contact_id, enrollment_id, sequence_id, step_id,
           variant_key, campaign_id, status, skip_reason, to_address, subject, text, sent_at, first_opened_at, open_count,
           first_clicked_at, click_count, replied_at, bounced_at, unsubscribed_at, created_at, updated_at)
         values (?, ?, ?, 'email', ?, ?, ?, ?, ?, ?, ?, ?, 'x@example.com', 'Hi', 'Hello', ?, ?, ?, ?, ?, ?, ?, ?, 1, 1)`,
      ).bind(
        messageId,
        tenantId,
        `${enrollment ?? "test"}:${m.stepId}:${messageId}`,
        m.contactId,
        enrollment,
        m.sequenceId,
        m.stepId,
        m.variantKey,
        m.campaignId,
        m.status ?? "sent",
        m.status === "skipped" ? "do_not_contact" : null,
        m.status === "skipped" ? null : (m.sentAt ?? 1),
        m.openedAt ?? null,
        m.openCount ?? (m.openedAt ? 1 : 0),
        m.clickedAt ?? null,
        m.clickedAt ? 1 : 0,
        m.repliedAt ?? null,
        m.bouncedAt ?? null,
        m.unsubscribedAt ?? null,
      );
    }),
  );
}

/** Tracking events (outreach_events) of a campaign at the given times. */
export async function seedEvents(
  tenantId: string,
  campaignId: string,
  events: { type: string; at: string; count?: number }[],
) {
  const rows = events.flatMap((e) => Array.from({ length: e.count ?? 1 }, () => e));
  await env.DB.batch(
    rows.map((e) =>
      env.DB.prepare(
        `insert into outreach_events (id, tenant_id, message_id, type, campaign_id, occurred_at, created_at)
         values (?, ?, 'om_x', ?, ?, ?, 1)`,
      ).bind(id("oev"), tenantId, e.type, campaignId, Date.parse(e.at)),
    ),
  );
}
