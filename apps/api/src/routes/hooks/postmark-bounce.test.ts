import { env } from "cloudflare:test";
import { postmarkBounceHookUrl } from "@crm/services";
import { beforeAll, describe, expect, it } from "vitest";
import { api, expectProblem, json, signupTenant, type TestTenant, uniqueEmail } from "../../../test/harness";
import {
  createContact,
  domainEventsOf,
  enrollmentOf,
  seedPostmarkMailbox,
  seedSentMessage,
} from "../../../test/outreach-seed";

const hookPath = (tenantId: string, mailboxId: string) => {
  const url = new URL(
    postmarkBounceHookUrl(
      { secretsKey: env.SECRETS_KEY, publicApiUrl: env.PUBLIC_API_URL },
      { tenantId, id: mailboxId },
    ),
  );
  return `${url.pathname}${url.search}`;
};

/** Postmark's documented bounce webhook body. */
function bounce(messageId: string, email: string, overrides: Record<string, unknown> = {}) {
  return {
    RecordType: "Bounce",
    MessageStream: "outbound",
    ID: 4323372036,
    Type: "HardBounce",
    TypeCode: 1,
    Name: "Hard bounce",
    Tag: "Test",
    MessageID: messageId,
    Metadata: { a_key: "a_value" },
    ServerID: 23,
    Description: "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
    Details: "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
    Email: email,
    From: "sam@vendor.example",
    BouncedAt: "2026-12-01T10:00:00.9070259Z",
    DumpAvailable: true,
    Inactive: true,
    CanActivate: true,
    Subject: "Quick question",
    ...overrides,
  };
}

let a: TestTenant;
let b: TestTenant;
beforeAll(async () => {
  [a, b] = await Promise.all([signupTenant("Postmark A"), signupTenant("Postmark B")]);
});

async function postmarkSend(owner: TestTenant, label: string) {
  const mailboxId = await seedPostmarkMailbox(owner.tenantId);
  const email = uniqueEmail(label);
  const contact = await createContact(owner, email);
  const providerMessageId = crypto.randomUUID();
  const sent = await seedSentMessage(
    owner.tenantId,
    { id: contact.id, email },
    { mailbox: { id: mailboxId, providerMessageId } },
  );
  return { mailboxId, email, contact, providerMessageId, sent };
}

describe("Postmark bounce webhook", () => {
  it("records a hard bounce once: bounced message, suppression, enrollment ended, email.bounced", async () => {
    const { mailboxId, email, providerMessageId, sent } = await postmarkSend(a, "pm-hard");
    const outcomes = [];
    for (let i = 0; i < 2; i++) {
      const response = await api("POST", hookPath(a.tenantId, mailboxId), { body: bounce(providerMessageId, email) });
      expect(response.status, await response.clone().text()).toBe(200);
      outcomes.push(await json(response));
    }
    expect(outcomes).toEqual([
      { outcome: "recorded", messageId: sent.messageId },
      { outcome: "already_recorded", messageId: sent.messageId },
    ]);
    const m = await json(await api("GET", `/api/v1/outreach/messages/${sent.messageId}`, { token: a.accessToken }));
    expect(m.bouncedAt).toBe("2026-12-01T10:00:00.907Z");
    expect(m.events.map((e: { type: string; detail: string }) => [e.type, e.detail])).toEqual([
      [
        "bounced",
        "HardBounce: The server was unable to deliver your message (ex: unknown user, mailbox not found).: smtp;550 5.1.1 The email account that you tried to reach does not exist.",
      ],
    ]);
    expect(await enrollmentOf(sent.enrollmentId)).toMatchObject({ status: "exited", exit_reason: "bounced" });
    const suppressed = await json(
      await api("GET", `/api/v1/suppressions?address=${encodeURIComponent(email)}`, { token: a.accessToken }),
    );
    expect(suppressed.data.map((s: { reason: string }) => s.reason)).toEqual(["bounced"]);
    expect(
      (await domainEventsOf(a.tenantId, "email.bounced")).filter((e) => e.entityId === sent.messageId),
    ).toHaveLength(1);
  });

  it("a soft bounce is recorded without suppression; auto-replies and unknown messages are ignored", async () => {
    const { mailboxId, email, providerMessageId, sent } = await postmarkSend(a, "pm-soft");
    const ignored = [
      bounce(providerMessageId, email, { Type: "AutoResponder", TypeCode: 2, Inactive: false }),
      bounce(crypto.randomUUID(), email),
      { ...bounce(providerMessageId, email), RecordType: "Delivery" },
    ];
    for (const body of ignored) {
      const response = await api("POST", hookPath(a.tenantId, mailboxId), { body });
      expect(await json(response)).toEqual({ outcome: "ignored", messageId: null });
    }
    const soft = await api("POST", hookPath(a.tenantId, mailboxId), {
      body: bounce(providerMessageId, email, { Type: "SoftBounce", TypeCode: 4096, Inactive: false }),
    });
    expect(await json(soft)).toEqual({ outcome: "recorded", messageId: sent.messageId });
    expect((await enrollmentOf(sent.enrollmentId))?.status).toBe("active");
    const suppressed = await json(
      await api("GET", `/api/v1/suppressions?address=${encodeURIComponent(email)}`, { token: a.accessToken }),
    );
    expect(suppressed.data).toEqual([]);
  });

  it("refuses a token made for another mailbox or tenant, and answers bad bodies with the field", async () => {
    const { mailboxId, email, providerMessageId, sent } = await postmarkSend(a, "pm-auth");
    const otherMailbox = await seedPostmarkMailbox(a.tenantId);
    const wrongMailbox = hookPath(a.tenantId, otherMailbox).replace(otherMailbox, mailboxId);
    await expectProblem(
      await api("POST", wrongMailbox, { body: bounce(providerMessageId, email) }),
      401,
      "UNAUTHORIZED",
    );
    // B's valid URL for a mailbox id B does not have.
    await expectProblem(
      await api("POST", hookPath(b.tenantId, mailboxId), { body: bounce(providerMessageId, email) }),
      404,
      "NOT_FOUND",
    );
    const bad = await expectProblem(
      await api("POST", hookPath(a.tenantId, mailboxId), {
        body: { ...bounce(providerMessageId, email), Inactive: "yes" },
      }),
      422,
      "VALIDATION_FAILED",
    );
    expect(bad.errors.map((e: { path: string }) => e.path)).toEqual(["body.Inactive"]);
    const m = await json(await api("GET", `/api/v1/outreach/messages/${sent.messageId}`, { token: a.accessToken }));
    expect(m.bouncedAt).toBeNull();
  });
});
