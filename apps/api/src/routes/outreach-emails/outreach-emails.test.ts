import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant, type TestTenant, uniqueEmail } from "../../../test/harness";
import {
  postmarkMailboxBody,
  postmarkRequestsTo,
  smtpMailboxBody,
  smtpMessagesTo,
} from "../../../test/outreach-providers";
import { call, createContact, deliverEmail, outboxFor } from "../../../test/outreach";

const path = "/api/v1/outreach/emails";

function send(owner: TestTenant | string, body: unknown, headers: Record<string, string> = {}) {
  return api("POST", path, { token: typeof owner === "string" ? owner : owner.accessToken, body, headers });
}

async function messageRows(tenantId: string) {
  return (
    await env.DB.prepare(
      "select status, to_address, error from outreach_messages where tenant_id = ?1 order by created_at",
    )
      .bind(tenantId)
      .all<{ status: string; to_address: string; error: string | null }>()
  ).results;
}

describe("POST /api/v1/outreach/emails", () => {
  it("sends through the SMTP mailbox: exact message, reply threading, tracked link, timelines, email.sent; a replay sends nothing more", async () => {
    const owner = await signupTenant("One-off A");
    const mailbox = await call(owner, "POST", "/api/v1/mailboxes", smtpMailboxBody({ isDefault: true }), 201);
    const contact = await createContact(owner, { firstName: "Ana" });
    const deal = await call(owner, "POST", "/api/v1/deals", { name: "Acme renewal", contactId: contact.id }, 201);
    const body = {
      contactId: contact.id,
      dealId: deal.id,
      subject: "Pricing for Acme",
      body: "Hi Ana,\n\nThe numbers: https://example.com/pricing\n\nSam",
    };
    const key = { "Idempotency-Key": `one-off-${crypto.randomUUID()}` };
    const response = await send(owner, body, key);
    expect(response.status, await response.clone().text()).toBe(201);
    const sent = await json(response);
    const message = sent.message;
    expect([sent.delivery, sent.notice]).toEqual(["mailbox", null]);
    expect({
      status: message.status,
      channel: message.channel,
      contactId: message.contactId,
      mailboxId: message.mailboxId,
      fromAddress: message.fromAddress,
      toAddress: message.toAddress,
      subject: message.subject,
      transport: message.transport,
      sequenceId: message.sequenceId,
      enrollmentId: message.enrollmentId,
      messageIdHeader: message.messageIdHeader,
      events: message.events.map((e: { type: string }) => e.type),
    }).toEqual({
      status: "sent",
      channel: "email",
      contactId: contact.id,
      mailboxId: mailbox.id,
      fromAddress: "ada@sender.test",
      toAddress: contact.email,
      subject: "Pricing for Acme",
      transport: "smtp",
      sequenceId: null,
      enrollmentId: null,
      messageIdHeader: `${message.id}@reply.crm.localhost`,
      events: ["sent"],
    });

    // What the SMTP server received: one message, from the mailbox, threaded, with a tracked link
    // and the unsubscribe footer and RFC 8058 headers.
    const [arrived, ...more] = await smtpMessagesTo(contact.email);
    expect(more).toEqual([]);
    const unsubscribeUrl = /^<([^>]+)>$/.exec(arrived!.headers["list-unsubscribe"]!)![1]!;
    const clickUrl = /^The numbers: (\S+)$/m.exec(message.text)![1]!;
    expect(clickUrl.startsWith(`${env.PUBLIC_API_URL}/t/c/`)).toBe(true);
    expect(unsubscribeUrl.startsWith(`${env.PUBLIC_API_URL}/t/u/`)).toBe(true);
    expect(message.text).toBe(`Hi Ana,\n\nThe numbers: ${clickUrl}\n\nSam\n\n--\nUnsubscribe: ${unsubscribeUrl}\n`);
    expect({
      from: arrived!.from,
      to: arrived!.envelope.to,
      subject: arrived!.subject,
      messageId: arrived!.messageId,
      text: arrived!.text?.trimEnd(),
      unsubscribePost: arrived!.headers["list-unsubscribe-post"],
    }).toEqual({
      from: '"Ada Lovelace" <ada@sender.test>',
      to: [contact.email],
      subject: "Pricing for Acme",
      messageId: `<${message.id}@reply.crm.localhost>`,
      text: message.text.trimEnd(),
      unsubscribePost: "List-Unsubscribe=One-Click",
    });
    expect(arrived!.replyTo).toMatch(/^reply\+[0-9a-z]{20}@reply\.crm\.localhost$/);
    expect(arrived!.html).toContain("/t/o/");
    // The tracked link goes where the sender wrote and counts the click.
    const clicked = await SELF.fetch(clickUrl, { redirect: "manual" });
    expect([clicked.status, clicked.headers.get("location")]).toEqual([302, "https://example.com/pricing"]);

    // The same request again with its Idempotency-Key: the stored answer, nothing sent again.
    const replay = await send(owner, body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await json(replay)).toEqual(sent);
    expect(await smtpMessagesTo(contact.email)).toHaveLength(1);
    expect(await messageRows(owner.tenantId)).toEqual([{ status: "sent", to_address: contact.email, error: null }]);

    // Ana answers from her mail client: the reply threads back to this message.
    const reply = [
      `From: <${contact.email}>`,
      `To: ${arrived!.replyTo}`,
      "Subject: Re: Pricing for Acme",
      `Message-ID: <reply-${crypto.randomUUID()}@client.example>`,
      `In-Reply-To: ${arrived!.messageId}`,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Thanks, this looks good. Can we talk on Thursday?",
    ].join("\n");
    expect(await deliverEmail(reply, { from: contact.email, to: arrived!.replyTo! })).toEqual({ rejected: null });
    const after = await call(owner, "GET", `/api/v1/outreach/messages/${message.id}`);
    expect(after.replies.map((r: { fromAddress: string; subject: string }) => [r.fromAddress, r.subject])).toEqual([
      [contact.email, "Re: Pricing for Acme"],
    ]);
    expect([after.clickCount, after.repliedAt !== null]).toEqual([1, true]);

    // The contact's timeline shows the email; the deal's shows it as an email activity.
    const contactTimeline = await call(owner, "GET", `/api/v1/contacts/${contact.id}/timeline?types=email_sent`);
    expect(contactTimeline.data.map((i: { type: string; summary: string }) => [i.type, i.summary])).toEqual([
      ["email_sent", "Email sent: Pricing for Acme"],
    ]);
    const dealTimeline = await call(owner, "GET", `/api/v1/deals/${deal.id}/timeline`);
    const activity = dealTimeline.data.find((i: { type: string }) => i.type === "activity");
    expect([activity.summary, activity.data.activityType, activity.data.body]).toEqual([
      "Email: Pricing for Acme",
      "email",
      `To ${contact.email}\n\n${body.body}`,
    ]);
    const event = await env.DB.prepare(
      "select entity_id, data from domain_events where tenant_id = ?1 and type = 'email.sent'",
    )
      .bind(owner.tenantId)
      .all<{ entity_id: string; data: string }>();
    expect(event.results.map((r) => [r.entity_id, JSON.parse(r.data)])).toEqual([
      [
        contact.id,
        {
          messageId: message.id,
          contactId: contact.id,
          dealId: deal.id,
          sequenceId: null,
          stepId: null,
          to: contact.email,
          subject: "Pricing for Acme",
          sentAt: message.sentAt,
        },
      ],
    ]);
    const counted = await env.DB.prepare("select sent from mailbox_daily_sends where tenant_id = ?1")
      .bind(owner.tenantId)
      .all<{ sent: number }>();
    expect(counted.results).toEqual([{ sent: 1 }]);
  });

  it("sends the sender's HTML as written when tracking is off (no pixel, links untouched), through Postmark", async () => {
    const owner = await signupTenant("One-off HTML");
    const mailbox = await call(owner, "POST", "/api/v1/mailboxes", postmarkMailboxBody(), 201);
    const contact = await createContact(owner, { firstName: "Bo" });
    const sent = await json(
      await send(owner, {
        contactId: contact.id,
        mailboxId: mailbox.id,
        subject: "Our deck",
        body: "Hi Bo, the deck: https://example.com/deck",
        html: '<p>Hi Bo, <a href="https://example.com/deck">the deck</a></p>',
        trackOpens: false,
        trackClicks: false,
      }),
    );
    expect(sent.message.status).toBe("sent");
    const [request, ...more] = await postmarkRequestsTo(contact.email);
    expect(more).toEqual([]);
    const posted = request!.body as { HtmlBody: string; TextBody: string; From: string; Subject: string };
    const unsubscribeUrl = /Unsubscribe: (\S+)/.exec(posted.TextBody)![1]!;
    expect(posted).toMatchObject({
      From: '"Grace Hopper" <grace@sender.test>',
      Subject: "Our deck",
      TextBody: `Hi Bo, the deck: https://example.com/deck\n\n--\nUnsubscribe: ${unsubscribeUrl}\n`,
      HtmlBody: `<p>Hi Bo, <a href="https://example.com/deck">the deck</a></p><p style="font-size:12px;color:#666">--<br><a href="${unsubscribeUrl}">Unsubscribe</a></p>`,
    });
  });

  it("without a mailbox, sends to the dev outbox as sequences do, and says so", async () => {
    const owner = await signupTenant("One-off no mailbox");
    const contact = await createContact(owner, { firstName: "Cy" });
    const response = await send(owner, { contactId: contact.id, subject: "Hello Cy", body: "A short note" });
    expect(response.status, await response.clone().text()).toBe(201);
    const sent = await json(response);
    expect([sent.delivery, sent.notice, sent.message.transport, sent.message.mailboxId]).toEqual([
      "dev_outbox",
      `The organization has no mailbox: the email went to the dev outbox (GET /api/v1/dev/outbox), not to ${contact.email}. Add a mailbox under Settings, Mailboxes to deliver it.`,
      "dev-outbox",
      null,
    ]);
    const outbox = await outboxFor(contact.email);
    expect(outbox.map((m) => [m.subject, m.text])).toEqual([["Hello Cy", sent.message.text]]);
  });

  it("refuses what it may not send: no email, do not contact, opted out, suppressed (422 at contactId); an unknown contact 404; unknown deal or mailbox 422", async () => {
    const owner = await signupTenant("One-off refusals");
    const noEmail = await call(owner, "POST", "/api/v1/contacts", { firstName: "Nomail" }, 201);
    const dnc = await createContact(owner, { firstName: "Dee", doNotContact: true });
    const optedOut = await createContact(owner, {
      firstName: "Otto",
      consent: { status: "opted_out", source: "form" },
    });
    const suppressed = await createContact(owner, { firstName: "Sue" });
    await call(owner, "POST", "/api/v1/suppressions", { address: suppressed.email }, 201);
    const message = { subject: "Hello", body: "Body" };

    const refusals: [string, string][] = [
      [noEmail.id, `Contact ${noEmail.id} has no email address`],
      [dnc.id, `Contact ${dnc.id} is marked do not contact: it may not be emailed`],
      [optedOut.id, `Contact ${optedOut.id} has unsubscribed (opted out): it may not be emailed`],
      [
        suppressed.id,
        `The address ${suppressed.email.toLowerCase()} is on the suppression list (added by hand): it may not be emailed`,
      ],
    ];
    for (const [contactId, detail] of refusals) {
      const problem = await expectProblem(await send(owner, { contactId, ...message }), 422, "VALIDATION_FAILED");
      expect([problem.detail, problem.errors]).toEqual([detail, [{ path: "body.contactId", message: detail }]]);
    }

    const missing = await expectProblem(
      await send(owner, { contactId: "ct_01jc9x7d1q8m3v5n2k4p6r8t0w", ...message }),
      404,
      "NOT_FOUND",
    );
    expect(missing.detail).toBe("Contact ct_01jc9x7d1q8m3v5n2k4p6r8t0w was not found");
    const fine = await createContact(owner, { firstName: "Fine" });
    const unknownRefs = await expectProblem(
      await send(owner, {
        contactId: fine.id,
        dealId: "deal_01jc9x7d1q8m3v5n2k4p6r8t0w",
        mailboxId: "mbx_01jc9x7d1q8m3v5n2k4p6r8t0w",
        ...message,
      }),
      422,
      "VALIDATION_FAILED",
    );
    expect(unknownRefs.errors).toEqual([
      { path: "body.dealId", message: "Deal deal_01jc9x7d1q8m3v5n2k4p6r8t0w was not found" },
      { path: "body.mailboxId", message: "Mailbox mbx_01jc9x7d1q8m3v5n2k4p6r8t0w was not found" },
    ]);
    const invalid = await expectProblem(
      await send(owner, { contactId: fine.id, subject: "  ", body: "" }),
      422,
      "VALIDATION_FAILED",
    );
    expect(invalid.errors.map((e: { path: string; message: string }) => [e.path, e.message]).sort()).toEqual([
      ["body.body", "Write the message"],
      ["body.subject", "Write a subject"],
    ]);
    // Nothing was sent or recorded for any of them.
    expect(await messageRows(owner.tenantId)).toEqual([]);
    for (const person of [dnc, optedOut, suppressed, fine]) expect(await outboxFor(person.email)).toEqual([]);
  });

  it("reports the SMTP server's refusal as 502 with its answer and keeps the message as failed; a full daily cap is 429", async () => {
    const owner = await signupTenant("One-off failures");
    await call(owner, "POST", "/api/v1/mailboxes", smtpMailboxBody({ isDefault: true }), 201);
    const refusedAddress = uniqueEmail("reject");
    const refused = await createContact(owner, { emails: [{ address: refusedAddress, primary: true }] });
    const problem = await expectProblem(
      await send(owner, { contactId: refused.id, subject: "Hello", body: "Body" }),
      502,
      "UPSTREAM_ERROR",
    );
    expect(problem.detail).toContain(`Mailbox ${refusedAddress} does not exist`);
    expect([problem.transport, problem.permanent, problem.providerCode]).toEqual(["smtp", true, 550]);
    const failed = await call(owner, "GET", `/api/v1/outreach/messages/${problem.messageId}`);
    expect([failed.status, failed.error, failed.events.map((e: { type: string }) => e.type)]).toEqual([
      "failed",
      problem.detail,
      ["failed"],
    ]);

    const capped = await signupTenant("One-off cap");
    await call(
      capped,
      "POST",
      "/api/v1/mailboxes",
      { name: "Tiny", fromAddress: "tiny@acme.test", transport: "dev_outbox", dailyCap: 1, isDefault: true },
      201,
    );
    const first = await createContact(capped);
    const second = await createContact(capped);
    const ok = await send(capped, { contactId: first.id, subject: "One", body: "Body" });
    expect(ok.status).toBe(201);
    expect((await json(ok)).notice).toBe(
      `Mailbox Tiny is a dev outbox: the email was kept there (GET /api/v1/dev/outbox), not delivered to ${first.email}.`,
    );
    const full = await send(capped, { contactId: second.id, subject: "Two", body: "Body" });
    const capProblem = await expectProblem(full, 429, "RATE_LIMITED");
    expect([capProblem.detail, capProblem.errors]).toEqual([
      "Mailbox Tiny reached its daily cap of 1.",
      [{ path: "body.mailboxId", message: "Mailbox Tiny reached its daily cap of 1." }],
    ]);
    const resetsAt = new Date(capProblem.retryAt).getTime();
    expect(new Date(resetsAt).toISOString().endsWith("T00:00:00.000Z")).toBe(true);
    const retryAfter = Number(full.headers.get("retry-after"));
    expect(Math.abs(retryAfter - (resetsAt - Date.now()) / 1000)).toBeLessThan(5);
    expect(await outboxFor(second.email)).toEqual([]);
  });

  it("another tenant gets 404 for the first tenant's contact and 422 for its deal and mailbox; sends nothing", async () => {
    const a = await signupTenant("One-off owner");
    const b = await signupTenant("One-off other");
    const mailbox = await call(a, "POST", "/api/v1/mailboxes", smtpMailboxBody({ isDefault: true }), 201);
    const contact = await createContact(a);
    const deal = await call(a, "POST", "/api/v1/deals", { name: "A's deal", contactId: contact.id }, 201);
    await expectProblem(await send(b, { contactId: contact.id, subject: "Hello", body: "Body" }), 404, "NOT_FOUND");
    const bContact = await createContact(b);
    const crossed = await expectProblem(
      await send(b, { contactId: bContact.id, dealId: deal.id, mailboxId: mailbox.id, subject: "Hello", body: "B" }),
      422,
      "VALIDATION_FAILED",
    );
    expect(crossed.errors.map((e: { path: string }) => e.path)).toEqual(["body.dealId", "body.mailboxId"]);
    const bKey = await createKey(b, ["outreach:write"]);
    await expectProblem(await send(bKey.key, { contactId: contact.id, subject: "Hi", body: "Body" }), 404);
    expect(await smtpMessagesTo(contact.email)).toEqual([]);
    expect(await messageRows(a.tenantId)).toEqual([]);
    expect(await messageRows(b.tenantId)).toEqual([]);
  });
});
