import { env } from "cloudflare:test";
import {
  createDb,
  mailboxes,
  newId,
  outreachMessages,
  type SequenceExitRules,
  sequenceEnrollments,
  sequences,
  sequenceSteps,
  tenantDb,
} from "@crm/db";
import { expect } from "vitest";
import { api, json, type TestTenant } from "./harness";

// Sending is the sequence pipeline's job; tests of what happens after a send (tracking,
// replies, bounces) start from the rows a send leaves: a sequence of two steps, an active
// enrollment waiting for step 2, and step 1's message, sent.

export const inboundDomain = "reply.crm.localhost";

export async function createContact(owner: TestTenant, email: string, extra: Record<string, unknown> = {}) {
  const response = await api("POST", "/api/v1/contacts", {
    token: owner.accessToken,
    body: { firstName: "Ana", lastName: "Lima", emails: [{ address: email, primary: true }], ...extra },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await json(response)) as { id: string };
}

export interface SeededSend {
  sequenceId: string;
  enrollmentId: string;
  messageId: string;
  replyToken: string;
  messageIdHeader: string;
}

export async function seedSentMessage(
  tenantId: string,
  contact: { id: string; email: string },
  options: {
    exitRules?: Partial<SequenceExitRules>;
    sentAt?: Date;
    /** Sent through this mailbox, with the provider's message id (Postmark's MessageID). */
    mailbox?: { id: string; providerMessageId: string };
  } = {},
): Promise<SeededSend> {
  const db = tenantDb(createDb(env.DB), tenantId);
  const sentAt = options.sentAt ?? new Date(Date.now() - 3600_000);
  const sequenceId = newId("sequence");
  const [step1, step2] = [newId("sequenceStep"), newId("sequenceStep")];
  const enrollmentId = newId("enrollment");
  const messageId = newId("outreachMessage");
  const replyToken = crypto.randomUUID().replaceAll("-", "");
  const messageIdHeader = `${messageId}@${inboundDomain}`;
  const variants = [{ key: "A", weight: 100, subject: "Quick question", body: "Hi {{contact.firstName|there}}" }];
  await db.batch([
    db.insertQuery(sequences, {
      id: sequenceId,
      name: "Seeded sequence",
      sendWindow: { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" },
      exitRules: {
        onReply: true,
        onBounce: true,
        onUnsubscribe: true,
        onDealWon: true,
        onMeetingBooked: true,
        ...options.exitRules,
      },
      createdBy: "us_seed",
    }),
    db.insertQuery(sequenceSteps, [
      { id: step1, sequenceId, position: 1, delayAmount: 0, variants },
      { id: step2, sequenceId, position: 2, delayAmount: 2, variants },
    ]),
    db.insertQuery(sequenceEnrollments, {
      id: enrollmentId,
      sequenceId,
      contactId: contact.id,
      status: "active",
      source: "manual",
      enrolledBy: "us_seed",
      nextStepId: step2,
      dueAt: new Date(sentAt.getTime() + 2 * 86_400_000),
      stepsCompleted: 1,
      lastSentAt: sentAt,
    }),
    db.insertQuery(outreachMessages, {
      id: messageId,
      dedupeKey: `${enrollmentId}:${step1}`,
      channel: "email",
      contactId: contact.id,
      enrollmentId,
      sequenceId,
      stepId: step1,
      variantKey: "A",
      status: "sent",
      fromAddress: "sam@vendor.example",
      toAddress: contact.email,
      subject: "Quick question",
      text: "Hi Ana, see https://vendor.example/pricing",
      messageIdHeader,
      replyToken,
      transport: options.mailbox ? "postmark" : "dev_outbox",
      mailboxId: options.mailbox?.id ?? null,
      providerMessageId: options.mailbox?.providerMessageId ?? null,
      sentAt,
    }),
  ]);
  return { sequenceId, enrollmentId, messageId, replyToken, messageIdHeader };
}

/** A Postmark mailbox (the mailbox API is another module's: the row as it would store it). */
export async function seedPostmarkMailbox(tenantId: string): Promise<string> {
  const db = tenantDb(createDb(env.DB), tenantId);
  const id = newId("mailbox");
  await db.insert(mailboxes, {
    id,
    name: "Postmark",
    fromAddress: "sam@vendor.example",
    transport: "postmark",
    settings: { apiBaseUrl: "http://127.0.0.1:9", messageStream: "outbound" },
  });
  return id;
}

export async function enrollmentOf(enrollmentId: string) {
  return env.DB.prepare("select status, exit_reason, next_step_id, due_at from sequence_enrollments where id = ?")
    .bind(enrollmentId)
    .first<{ status: string; exit_reason: string | null; next_step_id: string | null; due_at: number | null }>();
}

export async function domainEventsOf(tenantId: string, type: string) {
  const { results } = await env.DB.prepare(
    "select entity, entity_id, data from domain_events where tenant_id = ? and type = ? order by id",
  )
    .bind(tenantId, type)
    .all<{ entity: string; entity_id: string; data: string }>();
  return results.map((r) => ({ entity: r.entity, entityId: r.entity_id, data: JSON.parse(r.data) }));
}
