import { env } from "cloudflare:test";
import { createDb, inboundEmails, newId, tenantDb } from "@crm/db";
import { beforeAll, describe, expect, it } from "vitest";
import { deliverEmail as deliver } from "../../test/outreach";
import { eventually } from "../../test/webhooks";
import { cronTick } from "../../test/workflows";
import { api, json, signupTenant, type TestTenant, uniqueEmail } from "../../test/harness";
import {
  createContact,
  domainEventsOf,
  enrollmentOf,
  inboundDomain,
  type SeededSend,
  seedSentMessage,
} from "../../test/outreach-seed";

function reply(options: {
  from: string;
  to: string;
  subject: string;
  body: string;
  messageId: string;
  inReplyTo?: string;
}): string {
  return [
    `From: Ana Lima <${options.from}>`,
    `To: ${options.to}`,
    `Subject: ${options.subject}`,
    `Message-ID: <${options.messageId}>`,
    ...(options.inReplyTo ? [`In-Reply-To: <${options.inReplyTo}>`, `References: <${options.inReplyTo}>`] : []),
    "Date: Tue, 01 Dec 2026 10:00:00 +0000",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    options.body,
    "",
    "On Mon, 30 Nov 2026 at 09:00, Sam <sam@vendor.example> wrote:",
    "> Hi Ana, would you be interested in a demo? Reply STOP to unsubscribe.",
  ].join("\n");
}

async function message(owner: TestTenant, id: string) {
  const response = await api("GET", `/api/v1/outreach/messages/${id}`, { token: owner.accessToken });
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response);
}

async function inboundCount(tenantId: string): Promise<number> {
  const row = await env.DB.prepare("select count(*) as n from inbound_emails where tenant_id = ?")
    .bind(tenantId)
    .first<{ n: number }>();
  return row!.n;
}

let a: TestTenant;
let b: TestTenant;
beforeAll(async () => {
  [a, b] = await Promise.all([signupTenant("Inbound A"), signupTenant("Inbound B")]);
});

async function sentTo(owner: TestTenant, label: string, options: Parameters<typeof seedSentMessage>[2] = {}) {
  const email = uniqueEmail(label);
  const contact = await createContact(owner, email);
  const sent = await seedSentMessage(owner.tenantId, { id: contact.id, email }, options);
  return { email, contact, sent };
}
const replyAddress = (sent: SeededSend) => `reply+${sent.replyToken}@${inboundDomain}`;

describe("inbound replies", () => {
  it("a reply to the reply+token address is stored, classified, stops the enrollment and records email.replied, once", async () => {
    const { email, contact, sent } = await sentTo(a, "reply");
    const raw = reply({
      from: email,
      to: replyAddress(sent),
      subject: "Re: Quick question",
      body: "Sounds good, let's set up a call on Thursday.",
      messageId: `${crypto.randomUUID()}@mail.acme.example`,
    });
    for (let i = 0; i < 2; i++) {
      expect(await deliver(raw, { from: email, to: replyAddress(sent) })).toEqual({ rejected: null });
    }
    const m = await message(a, sent.messageId);
    expect(m.repliedAt).not.toBeNull();
    expect(m.events.map((e: { type: string; detail: string }) => [e.type, e.detail])).toEqual([
      ["replied", "interested"],
    ]);
    expect(m.replies).toHaveLength(1);
    expect(m.replies[0]).toMatchObject({
      fromAddress: email,
      subject: "Re: Quick question",
      classification: "interested",
      classificationReason: "shows interest",
    });
    expect(m.replies[0].text).toContain("Sounds good, let's set up a call on Thursday.");
    expect(await enrollmentOf(sent.enrollmentId)).toEqual({
      status: "exited",
      exit_reason: "replied",
      next_step_id: null,
      due_at: null,
    });
    const events = (await domainEventsOf(a.tenantId, "email.replied")).filter((e) => e.entityId === contact.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.entity).toBe("contact");
    expect(events[0]!.data.reply).toMatchObject({
      messageId: sent.messageId,
      enrollmentId: sent.enrollmentId,
      sequenceId: sent.sequenceId,
      classification: "interested",
      inboundEmailId: m.replies[0].id,
    });
  });

  it("matches by In-Reply-To when the reply went to another address", async () => {
    const { email, sent } = await sentTo(a, "thread");
    await deliver(
      reply({
        from: email,
        to: "sam@vendor.example",
        subject: "Re: Quick question",
        body: "What does it cost for a team of ten?",
        messageId: `${crypto.randomUUID()}@mail.acme.example`,
        inReplyTo: sent.messageIdHeader,
      }),
      { from: email, to: `sales@${inboundDomain}` },
    );
    const m = await message(a, sent.messageId);
    expect(m.replies.map((r: { classification: string }) => r.classification)).toEqual(["question"]);
    expect((await enrollmentOf(sent.enrollmentId))?.exit_reason).toBe("replied");
  });

  it("a reply asking to stop also opts the contact out and suppresses the address", async () => {
    const { email, contact, sent } = await sentTo(a, "stop");
    await deliver(
      reply({
        from: email,
        to: replyAddress(sent),
        subject: "Re: Quick question",
        body: "Please remove me from your list.",
        messageId: `${crypto.randomUUID()}@mail.acme.example`,
      }),
      { from: email, to: replyAddress(sent) },
    );
    const c = await json(await api("GET", `/api/v1/contacts/${contact.id}`, { token: a.accessToken }));
    expect(c.consent).toMatchObject({ status: "opted_out", source: `reply:${sent.messageId}` });
    const suppressed = await json(
      await api("GET", `/api/v1/suppressions?address=${encodeURIComponent(email)}`, { token: a.accessToken }),
    );
    expect(suppressed.data.map((s: { reason: string }) => s.reason)).toEqual(["unsubscribed"]);
    expect((await message(a, sent.messageId)).events.map((e: { type: string }) => e.type)).toEqual([
      "replied",
      "unsubscribed",
    ]);
    expect(
      (await domainEventsOf(a.tenantId, "contact.unsubscribed")).filter((e) => e.entityId === contact.id),
    ).toHaveLength(1);
  });

  // The AI engine's suggested action decides now (reply-actions.test.ts has each class's effect):
  // an away message pauses the sequence until the return date instead of letting it go on.
  it("an out-of-office reply is kept, is not a reply, and pauses the sequence", async () => {
    const { email, sent } = await sentTo(a, "ooo");
    await deliver(
      reply({
        from: email,
        to: replyAddress(sent),
        subject: "Automatic reply: Quick question",
        body: "I am out of the office until 7 December.",
        messageId: `${crypto.randomUUID()}@mail.acme.example`,
      }),
      { from: email, to: replyAddress(sent) },
    );
    const m = await message(a, sent.messageId);
    expect(m.replies.map((r: { classification: string }) => r.classification)).toEqual(["out_of_office"]);
    expect(m.repliedAt).toBeNull();
    expect((await enrollmentOf(sent.enrollmentId))?.status).toBe("paused");
  });

  it("a sequence whose onReply rule is off keeps the enrollment going", async () => {
    const { email, sent } = await sentTo(a, "norule", { exitRules: { onReply: false } });
    await deliver(
      reply({
        from: email,
        to: replyAddress(sent),
        subject: "Re: Quick question",
        body: "Thanks, received.",
        messageId: `${crypto.randomUUID()}@mail.acme.example`,
      }),
      { from: email, to: replyAddress(sent) },
    );
    expect((await message(a, sent.messageId)).repliedAt).not.toBeNull();
    expect((await enrollmentOf(sent.enrollmentId))?.status).toBe("active");
  });

  it("mail that answers none of our messages is rejected and stored nowhere", async () => {
    const before = [await inboundCount(a.tenantId), await inboundCount(b.tenantId)];
    const result = await deliver(
      reply({
        from: "stranger@elsewhere.example",
        to: `reply+doesnotexist000@${inboundDomain}`,
        subject: "Hello",
        body: "Hi there?",
        messageId: `${crypto.randomUUID()}@elsewhere.example`,
        inReplyTo: "om_01jc9x7d1q8m3v5n2k4p6r8t0w@reply.crm.localhost",
      }),
      { from: "stranger@elsewhere.example", to: `reply+doesnotexist000@${inboundDomain}` },
    );
    expect(result).toEqual({ rejected: "No conversation matches this address" });
    expect([await inboundCount(a.tenantId), await inboundCount(b.tenantId)]).toEqual(before);
  });

  it("a reply is stored in its message's tenant only", async () => {
    const { email, sent } = await sentTo(b, "tenant-b");
    const before = await inboundCount(a.tenantId);
    await deliver(
      reply({
        from: email,
        to: replyAddress(sent),
        subject: "Re: Quick question",
        body: "Tell me more.",
        messageId: `${crypto.randomUUID()}@mail.acme.example`,
      }),
      { from: email, to: replyAddress(sent) },
    );
    expect(await inboundCount(a.tenantId)).toBe(before);
    expect((await message(b, sent.messageId)).replies).toHaveLength(1);
    expect((await api("GET", `/api/v1/outreach/messages/${sent.messageId}`, { token: a.accessToken })).status).toBe(
      404,
    );
  });
});

describe("a delivery that stops after storing the reply", () => {
  const body = "Sounds good, let's set up a call on Thursday.";

  /** The state a delivery leaves when it stops right after storing the mail: stored, claimed, not acted on. */
  async function storedNotActedOn(
    owner: TestTenant,
    label: string,
    claimedAgoMs: number,
    said: { body: string; classification: "interested" | "unsubscribe"; reason: string } = {
      body,
      classification: "interested",
      reason: "shows interest",
    },
  ) {
    const { email, contact, sent } = await sentTo(owner, label);
    const messageId = `${crypto.randomUUID()}@mail.acme.example`;
    const raw = reply({ from: email, to: replyAddress(sent), subject: "Re: Quick question", body: said.body, messageId });
    const storedAt = new Date(Date.now() - claimedAgoMs);
    const id = newId("inboundEmail");
    await tenantDb(createDb(env.DB), owner.tenantId).insert(inboundEmails, {
      id,
      messageId: sent.messageId,
      contactId: contact.id,
      enrollmentId: sent.enrollmentId,
      fromAddress: email,
      toAddress: replyAddress(sent),
      subject: "Re: Quick question",
      text: said.body,
      html: null,
      messageIdHeader: messageId,
      inReplyTo: null,
      classification: said.classification,
      classificationReason: said.reason,
      receivedAt: storedAt,
      claimedAt: storedAt,
      processedAt: null,
      createdAt: storedAt,
    });
    return { email, contact, sent, raw, id, storedAt };
  }

  const processedAt = async (id: string) =>
    (
      await env.DB.prepare("select processed_at as at from inbound_emails where id = ?")
        .bind(id)
        .first<{ at: number | null }>()
    )?.at ?? null;
  const followUpTasks = async (tenantId: string, contactId: string) =>
    (
      await env.DB.prepare("select title from tasks where tenant_id = ? and record_id = ?")
        .bind(tenantId, contactId)
        .all<{ title: string }>()
    ).results.map((t) => t.title);

  async function expectActedOnOnce(owner: TestTenant, stored: Awaited<ReturnType<typeof storedNotActedOn>>) {
    const m = await message(owner, stored.sent.messageId);
    expect(m.repliedAt).toBe(stored.storedAt.toISOString());
    expect(m.events.map((e: { type: string; detail: string }) => [e.type, e.detail])).toEqual([
      ["replied", "interested"],
    ]);
    expect(
      m.replies.map((r: { id: string; ai: { classification: string } | null }) => [r.id, r.ai?.classification]),
    ).toEqual([[stored.id, "interested"]]);
    expect(await enrollmentOf(stored.sent.enrollmentId)).toMatchObject({ status: "exited", exit_reason: "replied" });
    expect(
      (await domainEventsOf(owner.tenantId, "email.replied")).filter((e) => e.entityId === stored.contact.id),
    ).toHaveLength(1);
    expect(await followUpTasks(owner.tenantId, stored.contact.id)).toEqual(["Follow up with Ana Lima: interested"]);
  }

  it("the five-minute sweep finishes a reply left unprocessed past its claim, once", async () => {
    const stored = await storedNotActedOn(a, "sweep", 10 * 60_000);
    expect((await message(a, stored.sent.messageId)).repliedAt).toBeNull();
    const otherTenantsReplies = (await domainEventsOf(b.tenantId, "email.replied")).length;

    await cronTick(Date.now());
    expect(
      await eventually(
        () => processedAt(stored.id),
        (at) => at !== null,
      ),
    ).not.toBeNull();
    await expectActedOnOnce(a, stored);

    // Neither a late redelivery of the same mail nor the next sweep acts on it again.
    expect(await deliver(stored.raw, { from: stored.email, to: replyAddress(stored.sent) })).toEqual({
      rejected: null,
    });
    await cronTick(Date.now());
    await expectActedOnOnce(a, stored);
    // The reply was acted on in its own organization only.
    expect(await domainEventsOf(b.tenantId, "email.replied")).toHaveLength(otherTenantsReplies);
  });

  it("a request to stop whose batch fails leaves nothing acted on, and the sweep then does it all once", async () => {
    const { email, contact, sent } = await sentTo(a, "stop");
    const raw = reply({
      from: email,
      to: replyAddress(sent),
      subject: "Re: Quick question",
      body: "Please unsubscribe me from these emails.",
      messageId: `${crypto.randomUUID()}@mail.acme.example`,
    });
    // The reply's batch fails at its suppression (as a Worker stopped there would leave it):
    // nothing of it may stay, neither the reply's events nor the reply marked done.
    await env.DB.prepare(
      "create trigger stop_suppressing before insert on suppressions begin select raise(abort, 'stopped'); end",
    ).run();
    try {
      await deliver(raw, { from: email, to: replyAddress(sent) }).catch(() => null);
    } finally {
      await env.DB.prepare("drop trigger stop_suppressing").run();
    }
    const [row] = (
      await env.DB.prepare("select id, received_at from inbound_emails where message_id = ?")
        .bind(sent.messageId)
        .all<{ id: string; received_at: number }>()
    ).results;
    const stored = { ...row!, storedAt: new Date(row!.received_at), email, contact, sent, raw };
    expect(await processedAt(stored.id)).toBeNull();
    const before = await message(a, sent.messageId);
    expect([before.repliedAt, before.unsubscribedAt, before.events]).toEqual([null, null, []]);
    expect((await enrollmentOf(sent.enrollmentId))?.status).toBe("active");

    // Past its claim, the five-minute sweep finishes it.
    await env.DB.prepare("update inbound_emails set claimed_at = ? where id = ?")
      .bind(Date.now() - 10 * 60_000, stored.id)
      .run();
    await cronTick(Date.now());
    expect(
      await eventually(
        () => processedAt(stored.id),
        (at) => at !== null,
      ),
    ).not.toBeNull();
    const expectStoppedOnce = async () => {
      const m = await message(a, stored.sent.messageId);
      expect(m.repliedAt).toBe(stored.storedAt.toISOString());
      expect(m.unsubscribedAt).toBe(stored.storedAt.toISOString());
      expect(m.events.map((e: { type: string; detail: string }) => [e.type, e.detail])).toEqual([
        ["replied", "unsubscribe"],
        ["unsubscribed", "reply"],
      ]);
      const c = await json(await api("GET", `/api/v1/contacts/${stored.contact.id}`, { token: a.accessToken }));
      expect(c.consent).toMatchObject({ status: "opted_out", source: `reply:${stored.sent.messageId}` });
      const suppressed = await json(
        await api("GET", `/api/v1/suppressions?address=${encodeURIComponent(stored.email)}`, {
          token: a.accessToken,
        }),
      );
      expect(suppressed.data.map((s: { reason: string }) => s.reason)).toEqual(["unsubscribed"]);
      expect(await enrollmentOf(stored.sent.enrollmentId)).toMatchObject({
        status: "exited",
        exit_reason: "unsubscribed",
      });
      expect(
        (await domainEventsOf(a.tenantId, "contact.unsubscribed")).filter((e) => e.entityId === stored.contact.id),
      ).toHaveLength(1);
      expect(
        (await domainEventsOf(a.tenantId, "email.replied")).filter((e) => e.entityId === stored.contact.id),
      ).toHaveLength(1);
    };
    await expectStoppedOnce();
    // A late redelivery and the next sweep change nothing.
    expect(await deliver(stored.raw, { from: stored.email, to: replyAddress(stored.sent) })).toEqual({
      rejected: null,
    });
    await cronTick(Date.now());
    await expectStoppedOnce();
  });

  it("a redelivery leaves a reply whose claim is fresh, and finishes it once the claim has run out", async () => {
    const stored = await storedNotActedOn(a, "retry", 60_000);
    const to = replyAddress(stored.sent);
    // The first delivery may still be at work: neither a redelivery nor the sweep takes over.
    expect(await deliver(stored.raw, { from: stored.email, to })).toEqual({ rejected: null });
    await cronTick(Date.now());
    expect(await processedAt(stored.id)).toBeNull();
    expect((await message(a, stored.sent.messageId)).repliedAt).toBeNull();
    expect((await enrollmentOf(stored.sent.enrollmentId))?.status).toBe("active");
    expect(await followUpTasks(a.tenantId, stored.contact.id)).toEqual([]);

    // Six minutes on, the delivery that claimed it has stopped: the mail server's retry finishes it.
    await env.DB.prepare("update inbound_emails set claimed_at = ? where id = ?")
      .bind(Date.now() - 6 * 60_000, stored.id)
      .run();
    expect(await deliver(stored.raw, { from: stored.email, to })).toEqual({ rejected: null });
    expect(await processedAt(stored.id)).not.toBeNull();
    await expectActedOnOnce(a, stored);
  });
});

function dsn(options: { to: string; original: SeededSend; status: string; action: string; diagnostic: string }) {
  return [
    "From: Mail Delivery System <MAILER-DAEMON@mx.acme.example>",
    "To: sam@vendor.example",
    "Subject: Undelivered Mail Returned to Sender",
    `Message-ID: <${crypto.randomUUID()}@mx.acme.example>`,
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"',
    "",
    "--BOUNDARY",
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "I'm sorry to have to inform you that your message could not be delivered.",
    "",
    "--BOUNDARY",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.acme.example",
    "",
    `Final-Recipient: rfc822; ${options.to}`,
    `Action: ${options.action}`,
    `Status: ${options.status}`,
    `Diagnostic-Code: ${options.diagnostic}`,
    "",
    "--BOUNDARY",
    "Content-Type: text/rfc822-headers",
    "",
    "From: sam@vendor.example",
    `To: ${options.to}`,
    "Subject: Quick question",
    `Message-ID: <${options.original.messageIdHeader}>`,
    "",
    "--BOUNDARY--",
  ].join("\n");
}

describe("bounce reports", () => {
  it("a permanent DSN marks the message bounced, suppresses the address and ends the enrollment", async () => {
    const { email, sent } = await sentTo(a, "hard");
    const raw = dsn({
      to: email,
      original: sent,
      action: "failed",
      status: "5.1.1",
      diagnostic: "smtp; 550 5.1.1 <user> User unknown",
    });
    for (let i = 0; i < 2; i++) await deliver(raw, { from: "", to: "sam@vendor.example" });
    // Bounce reports addressed to the send's return path match by its token alone.
    const other = await sentTo(a, "vERP");
    await deliver(
      dsn({
        to: other.email,
        original: { ...other.sent, messageIdHeader: "unknown@elsewhere.example" },
        action: "failed",
        status: "5.1.1",
        diagnostic: "smtp; 550 5.1.1 User unknown",
      }),
      { from: "", to: `bounce+${other.sent.replyToken}@${inboundDomain}` },
    );
    expect((await message(a, other.sent.messageId)).bouncedAt).not.toBeNull();
    const m = await message(a, sent.messageId);
    expect(m.bouncedAt).not.toBeNull();
    expect(m.events.map((e: { type: string; detail: string }) => [e.type, e.detail])).toEqual([
      ["bounced", "smtp; 550 5.1.1 <user> User unknown"],
    ]);
    expect(m.replies.map((r: { classification: string }) => r.classification)).toEqual(["bounce"]);
    expect(await enrollmentOf(sent.enrollmentId)).toMatchObject({ status: "exited", exit_reason: "bounced" });
    const suppressed = await json(
      await api("GET", `/api/v1/suppressions?address=${encodeURIComponent(email)}`, { token: a.accessToken }),
    );
    expect(suppressed.data.map((s: { reason: string; source: string }) => [s.reason, s.source])).toEqual([
      ["bounced", `message:${sent.messageId}`],
    ]);
    const bounced = (await domainEventsOf(a.tenantId, "email.bounced")).filter((e) => e.entityId === sent.messageId);
    expect(bounced.map((e) => [e.data.permanent, e.data.diagnostic])).toEqual([
      [true, "smtp; 550 5.1.1 <user> User unknown"],
    ]);
  });

  it("a transient DSN is recorded without suppressing; a delay notice changes nothing", async () => {
    const { email, sent } = await sentTo(a, "soft");
    await deliver(
      dsn({
        to: email,
        original: sent,
        action: "delayed",
        status: "4.2.2",
        diagnostic: "smtp; 452 4.2.2 Mailbox full",
      }),
      { from: "", to: "sam@vendor.example" },
    );
    expect((await message(a, sent.messageId)).bouncedAt).toBeNull();
    await deliver(
      dsn({ to: email, original: sent, action: "failed", status: "4.2.2", diagnostic: "smtp; 452 4.2.2 Mailbox full" }),
      { from: "", to: "sam@vendor.example" },
    );
    const m = await message(a, sent.messageId);
    expect(m.bouncedAt).not.toBeNull();
    expect((await enrollmentOf(sent.enrollmentId))?.status).toBe("active");
    const suppressed = await json(
      await api("GET", `/api/v1/suppressions?address=${encodeURIComponent(email)}`, { token: a.accessToken }),
    );
    expect(suppressed.data).toEqual([]);
  });
});

describe("the contact's timeline", () => {
  it("shows the email sent (opens and clicks summed on it), the reply and a bounce, newest first", async () => {
    const { email, contact, sent } = await sentTo(a, "timeline");
    const { trackingLinks } = await import("@crm/services");
    const l = trackingLinks(
      { secretsKey: env.SECRETS_KEY, publicApiUrl: env.PUBLIC_API_URL },
      {
        tenantId: a.tenantId,
        id: sent.messageId,
      },
    );
    for (let i = 0; i < 2; i++) await api("GET", new URL(l.openPixelUrl).pathname);
    await deliver(
      reply({
        from: email,
        to: replyAddress(sent),
        subject: "Re: Quick question",
        body: "Not interested, thanks.",
        messageId: `${crypto.randomUUID()}@mail.acme.example`,
      }),
      { from: email, to: replyAddress(sent) },
    );
    const earlier = await seedSentMessage(
      a.tenantId,
      { id: contact.id, email },
      { sentAt: new Date(Date.now() - 7200_000) },
    );
    await deliver(
      dsn({
        to: email,
        original: earlier,
        action: "failed",
        status: "5.1.1",
        diagnostic: "smtp; 550 5.1.1 User unknown",
      }),
      { from: "", to: "sam@vendor.example" },
    );
    const response = await api(
      "GET",
      `/api/v1/contacts/${contact.id}/timeline?types=email_sent&types=email_reply&types=email_bounced`,
      { token: a.accessToken },
    );
    expect(response.status, await response.clone().text()).toBe(200);
    const page = await json(response);
    expect(page.data.map((i: { type: string; summary: string }) => [i.type, i.summary])).toEqual([
      ["email_bounced", "Email bounced: smtp; 550 5.1.1 User unknown"],
      ["email_reply", "Reply: Re: Quick question"],
      ["email_sent", "Email sent: Quick question"],
      ["email_sent", "Email sent: Quick question"],
    ]);
    expect(page.data[0].data).toEqual({ messageId: earlier.messageId, diagnostic: "smtp; 550 5.1.1 User unknown" });
    expect(page.data[1].data).toMatchObject({ classification: "not_interested", messageId: sent.messageId });
    expect(page.data[2].data).toMatchObject({ messageId: sent.messageId, openCount: 2, clickCount: 0 });
    expect(page.data[2].data.repliedAt).not.toBeNull();
    expect(page.data[3].data).toMatchObject({ messageId: earlier.messageId, openCount: 0 });
    expect(page.data[3].data.bouncedAt).not.toBeNull();

    const other = await json(await api("GET", `/api/v1/contacts/${contact.id}/timeline`, { token: b.accessToken }));
    expect(other.status).toBe(404);
  });
});

describe("workflows", () => {
  it("a contact workflow with the email.replied trigger runs on an interested reply, not on a declining one", async () => {
    const owner = await signupTenant("Reply workflows");
    const { createWorkflow, waitForExecutions } = await import("../../test/workflows");
    const workflow = await createWorkflow(owner, {
      name: "Hot reply",
      object: "contact",
      trigger: { type: "email.replied", classifications: ["interested"] },
      actions: [{ type: "add_tag", tag: "hot-reply" }],
    });
    const hot = await sentTo(owner, "hot");
    const cold = await sentTo(owner, "cold");
    for (const [who, body] of [
      [hot, "Sounds great, tell me more."],
      [cold, "Not interested."],
    ] as const) {
      await deliver(
        reply({
          from: who.email,
          to: replyAddress(who.sent),
          subject: "Re: Quick question",
          body,
          messageId: `${crypto.randomUUID()}@mail.acme.example`,
        }),
        { from: who.email, to: replyAddress(who.sent) },
      );
    }
    const runs = await waitForExecutions(owner, workflow.id, (r) => r.length === 1 && r[0]!.status === "succeeded");
    expect(runs.map((r) => [r.recordId, r.cause.eventType])).toEqual([[hot.contact.id, "email.replied"]]);
    const tagged = await json(await api("GET", `/api/v1/contacts/${hot.contact.id}`, { token: owner.accessToken }));
    expect(tagged.tags).toEqual(["hot-reply"]);
    const untouched = await json(await api("GET", `/api/v1/contacts/${cold.contact.id}`, { token: owner.accessToken }));
    expect(untouched.tags).toEqual([]);
  });
});
