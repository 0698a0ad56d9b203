import { createMessageBatch, env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/worker";
import { signupTenant } from "./harness";
import { type CapturedSmtpMessage, smtpMailboxBody, smtpMessagesTo } from "./outreach-providers";
import {
  call,
  createContact,
  deliverEmail,
  localClock,
  nextMonday,
  outboxFor,
  sequenceBody,
  tickAndSettle,
  wallClock,
} from "./outreach";

const tokyo = "Asia/Tokyo";
const paris = "Europe/Paris";
const newYork = "America/New_York";

async function enrollmentOf(owner: { accessToken: string }, id: string) {
  return call(owner, "GET", `/api/v1/enrollments/${id}`);
}

/** The queue delivering these message bodies, as the runtime would, in one batch. */
async function deliver(bodies: unknown[]) {
  const batch = createMessageBatch(
    "crm-jobs",
    bodies.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body })),
  );
  await worker.queue(batch, env);
}

async function sentRows(enrollmentId: string) {
  const rows = await env.DB.prepare(
    `select m.step_id, m.status, m.skip_reason, m.sent_at, m.to_address, m.message_id_header, m.reply_token,
            (select count(*) from outreach_events e where e.message_id = m.id and e.type = 'sent') as sent_events
       from outreach_messages m where m.enrollment_id = ?1 order by m.created_at`,
  )
    .bind(enrollmentId)
    .all<{
      step_id: string;
      status: string;
      skip_reason: string | null;
      sent_at: number | null;
      to_address: string;
      message_id_header: string | null;
      reply_token: string | null;
      sent_events: number;
    }>();
  return rows.results;
}

/** Subjects of what the real SMTP server received for an address, oldest first. */
async function inbox(address: string): Promise<string[]> {
  return (await smtpMessagesTo(address)).map((m) => m.subject ?? "");
}

/** A reply to a received message, as the contact's mail client writes it. */
function replyTo(received: CapturedSmtpMessage, from: string, body: string): string {
  return [
    `From: <${from}>`,
    `To: ${received.replyTo}`,
    `Subject: Re: ${received.subject}`,
    `Message-ID: <reply-${crypto.randomUUID()}@client.example>`,
    `In-Reply-To: ${received.messageId}`,
    `References: ${received.messageId}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    body,
  ].join("\n");
}

describe("outreach must show: three time zones over SMTP, reply and unsubscribe stop, one send per step, consent, tenants", () => {
  it("sends only inside each recipient's window through the real SMTP server; a reply stops one, a one-click unsubscribe another, the third gets every step", async () => {
    const owner = await signupTenant("Outreach A");
    const other = await signupTenant("Outreach B");
    // Tenant A sends through its SMTP mailbox (the default); tenant B has none: the dev outbox.
    const mailbox = await call(
      owner,
      "POST",
      "/api/v1/mailboxes",
      smtpMailboxBody({ isDefault: true, minSpacingSeconds: 0 }),
      201,
    );
    const sequence = await call(owner, "POST", "/api/v1/sequences", sequenceBody(), 201);
    const [step1, step2] = sequence.steps as { id: string }[];
    const people = {
      tokyo: await createContact(owner, { firstName: "Aiko", timeZone: tokyo }),
      paris: await createContact(owner, { firstName: "Pierre", timeZone: paris }),
      newYork: await createContact(owner, { firstName: "Nora", timeZone: newYork }),
      blocked: await createContact(owner, { firstName: "Dana", timeZone: paris, doNotContact: true }),
    };
    const enrolled = await call(owner, "POST", `/api/v1/sequences/${sequence.id}/enrollments`, {
      contactIds: [people.tokyo.id, people.paris.id, people.newYork.id, people.blocked.id],
    });
    expect(enrolled.data.map((r: { result: string }) => r.result)).toEqual([
      "enrolled",
      "enrolled",
      "enrolled",
      "enrolled",
    ]);
    const enrollmentOfContact = Object.fromEntries(
      enrolled.data.map((r: { contactId: string; enrollmentId: string }) => [r.contactId, r.enrollmentId]),
    ) as Record<string, string>;
    const enr = {
      tokyo: enrollmentOfContact[people.tokyo.id]!,
      paris: enrollmentOfContact[people.paris.id]!,
      newYork: enrollmentOfContact[people.newYork.id]!,
      blocked: enrollmentOfContact[people.blocked.id]!,
    };

    // Tenant B: its own sequence and contact, sent on the same ticks.
    const otherSequence = await call(other, "POST", "/api/v1/sequences", sequenceBody({ name: "B's" }), 201);
    const otherContact = await createContact(other, { firstName: "Bea", timeZone: tokyo });
    await call(other, "POST", `/api/v1/sequences/${otherSequence.id}/enrollments`, { contactIds: [otherContact.id] });

    const monday = nextMonday();

    // 09:05 in Tokyo (Monday): only Tokyo is inside its window; do-not-contact is skipped with its reason.
    await tickAndSettle(owner.tenantId, wallClock(tokyo, monday, 0, "09:05"));
    expect(await inbox(people.tokyo.email)).toEqual(["Hi Aiko"]);
    expect(await inbox(people.paris.email)).toEqual([]);
    expect(await inbox(people.newYork.email)).toEqual([]);
    expect(await inbox(people.blocked.email)).toEqual([]);
    expect((await enrollmentOf(owner, enr.paris)).dueAt).toBe(
      new Date(wallClock(paris, monday, 0, "09:00")).toISOString(),
    );
    expect((await enrollmentOf(owner, enr.newYork)).dueAt).toBe(
      new Date(wallClock(newYork, monday, 0, "09:00")).toISOString(),
    );
    const blocked = await enrollmentOf(owner, enr.blocked);
    expect([blocked.status, blocked.exitReason, blocked.dueAt]).toEqual(["exited", "do_not_contact", null]);
    expect((await sentRows(enr.blocked)).map((r) => [r.status, r.skip_reason])).toEqual([
      ["skipped", "do_not_contact"],
    ]);
    // What arrived over SMTP: from the mailbox, AUTHed, threaded and with RFC 8058 unsubscribe headers.
    const [toTokyo] = await smtpMessagesTo(people.tokyo.email);
    expect(toTokyo!.authUser).not.toBeNull();
    expect(toTokyo!.from).toBe(`"${mailbox.fromName}" <${mailbox.fromAddress}>`);
    expect(toTokyo!.replyTo).toMatch(/^reply\+[0-9a-z]{20}@reply\.crm\.localhost$/);
    expect(toTokyo!.messageId).toMatch(/^<om_[0-9a-z]+@reply\.crm\.localhost>$/);
    expect(toTokyo!.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(toTokyo!.text).toContain("Step one for Aiko at your company");
    expect(toTokyo!.html).toContain("/t/o/");
    // Tenant B, on the same tick, through its dev outbox.
    expect((await outboxFor(otherContact.email)).map((m) => m.subject)).toEqual(["Hi Bea"]);

    // The same queue message delivered twice in one batch and once more at the same time: one send.
    const parisStep1 = {
      type: "outreach.send",
      tenantId: owner.tenantId,
      enrollmentId: enr.paris,
      stepId: step1!.id,
      at: wallClock(paris, monday, 0, "09:05"),
    };
    await Promise.all([deliver([parisStep1, parisStep1]), deliver([parisStep1])]);
    expect(await inbox(people.paris.email)).toEqual(["Hi Pierre"]);
    expect((await sentRows(enr.paris)).map((r) => [r.step_id, r.status, r.sent_events])).toEqual([
      [step1!.id, "sent", 1],
    ]);
    const emailSent = await env.DB.prepare(
      "select count(*) as n from domain_events where tenant_id = ?1 and type = 'email.sent' and json_extract(data, '$.enrollmentId') = ?2",
    )
      .bind(owner.tenantId, enr.paris)
      .first<{ n: number }>();
    expect(emailSent?.n).toBe(1);

    await tickAndSettle(owner.tenantId, wallClock(newYork, monday, 0, "09:05"));
    expect(await inbox(people.newYork.email)).toEqual(["Hi Nora"]);

    // Aiko answers from her mail client: the email handler matches it and ends her enrollment.
    const reply = replyTo(toTokyo!, people.tokyo.email, "Sounds interesting, can we talk on Thursday?");
    expect(await deliverEmail(reply, { from: people.tokyo.email, to: toTokyo!.replyTo! })).toEqual({
      rejected: null,
    });
    const tokyoAfter = await enrollmentOf(owner, enr.tokyo);
    expect([tokyoAfter.status, tokyoAfter.exitReason]).toEqual(["exited", "replied"]);

    // Pierre's mail client uses the one-click unsubscribe (RFC 8058) of the message he received.
    const [toParis] = await smtpMessagesTo(people.paris.email);
    const unsubscribeUrl = /^<([^>]+)>$/.exec(toParis!.headers["list-unsubscribe"]!)![1]!;
    const unsubscribed = await SELF.fetch(unsubscribeUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(unsubscribed.status).toBe(200);
    const parisAfter = await enrollmentOf(owner, enr.paris);
    expect([parisAfter.status, parisAfter.exitReason]).toEqual(["exited", "unsubscribed"]);

    // Step 2 falls due 12 hours after step 1: 21:05 locally, outside the window, so 09:00 next day.
    await tickAndSettle(owner.tenantId, wallClock(tokyo, monday, 0, "21:10"));
    await tickAndSettle(owner.tenantId, wallClock(paris, monday, 0, "21:10"));
    await tickAndSettle(owner.tenantId, wallClock(newYork, monday, 0, "21:10"));
    expect((await enrollmentOf(owner, enr.newYork)).dueAt).toBe(
      new Date(wallClock(newYork, monday, 1, "09:00")).toISOString(),
    );
    await tickAndSettle(owner.tenantId, wallClock(tokyo, monday, 1, "09:05"));
    await tickAndSettle(owner.tenantId, wallClock(paris, monday, 1, "09:05"));
    await tickAndSettle(owner.tenantId, wallClock(newYork, monday, 1, "09:05"));
    // A later tick finds nothing left to send.
    await tickAndSettle(owner.tenantId, wallClock(newYork, monday, 2, "10:00"));

    expect(await inbox(people.tokyo.email)).toEqual(["Hi Aiko"]);
    expect(await inbox(people.paris.email)).toEqual(["Hi Pierre"]);
    expect(await inbox(people.newYork.email)).toEqual(["Hi Nora", "Following up, Nora"]);
    expect(await inbox(people.blocked.email)).toEqual([]);
    for (const [who, zone, steps] of [
      ["tokyo", tokyo, [step1!.id]],
      ["paris", paris, [step1!.id]],
      ["newYork", newYork, [step1!.id, step2!.id]],
    ] as const) {
      const rows = await sentRows(enr[who]);
      expect(rows.map((r) => [r.step_id, r.status, r.sent_events])).toEqual(steps.map((id) => [id, "sent", 1]));
      for (const row of rows) {
        const local = localClock(zone, row.sent_at!);
        expect(local.weekday).toBeLessThanOrEqual(5);
        expect(local.time >= "09:00" && local.time < "17:00", `${who} at ${local.time}`).toBe(true);
      }
    }
    const nora = await enrollmentOf(owner, enr.newYork);
    expect([nora.status, nora.stepsCompleted, nora.nextStepId]).toEqual(["completed", 2, null]);

    const stats = await call(owner, "GET", `/api/v1/sequences/${sequence.id}/stats`);
    expect(stats.totals).toEqual({
      sent: 4,
      opened: 0,
      clicked: 0,
      replied: 1,
      bounced: 0,
      unsubscribed: 1,
      skipped: 1,
      failed: 0,
    });
    expect(
      stats.steps.map((s: { stepId: string; sent: number; replied: number; unsubscribed: number; skipped: number }) => [
        s.stepId,
        s.sent,
        s.replied,
        s.unsubscribed,
        s.skipped,
      ]),
    ).toEqual([
      [step1!.id, 3, 1, 1, 1],
      [step2!.id, 1, 0, 0, 0],
    ]);

    // Tenants isolated: B sees none of A's sequence, enrollments or stats, and cannot enroll A's contacts.
    for (const path of [
      `/api/v1/sequences/${sequence.id}`,
      `/api/v1/sequences/${sequence.id}/stats`,
      `/api/v1/sequences/${sequence.id}/enrollments`,
      `/api/v1/enrollments/${enr.tokyo}`,
    ])
      await call(other, "GET", path, undefined, 404);
    await call(other, "POST", `/api/v1/enrollments/${enr.tokyo}/pause`, {}, 404);
    expect((await call(other, "GET", "/api/v1/sequences")).data.map((s: { id: string }) => s.id)).toEqual([
      otherSequence.id,
    ]);
    const crossed = await call(other, "POST", `/api/v1/sequences/${otherSequence.id}/enrollments`, {
      contactIds: [people.paris.id],
    });
    expect(crossed.data).toEqual([{ contactId: people.paris.id, result: "skipped", reason: "contact_not_found" }]);
    expect((await outboxFor(otherContact.email)).map((m) => m.subject)).toEqual(["Hi Bea", "Following up, Bea"]);
    expect((await call(other, "GET", `/api/v1/sequences/${otherSequence.id}/stats`)).totals.sent).toBe(2);
  });
});
