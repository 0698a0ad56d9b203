import { createMessageBatch, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/worker";
import { signupTenant } from "./harness";
import {
  call,
  createContact,
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

describe("outreach must show: three time zones, windows, one send per step, consent, tenants", () => {
  it("sends each step only inside the recipient's window, once, skips do-not-contact with its reason, and keeps tenants apart", async () => {
    const owner = await signupTenant("Outreach A");
    const other = await signupTenant("Outreach B");
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
    expect((await outboxFor(people.tokyo.email)).map((m) => m.subject)).toEqual(["Hi Aiko"]);
    expect(await outboxFor(people.paris.email)).toEqual([]);
    expect(await outboxFor(people.newYork.email)).toEqual([]);
    expect(await outboxFor(people.blocked.email)).toEqual([]);
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
    expect((await outboxFor(people.paris.email)).map((m) => m.subject)).toEqual(["Hi Pierre"]);
    expect((await sentRows(enr.paris)).map((r) => [r.step_id, r.status, r.sent_events])).toEqual([
      [step1!.id, "sent", 1],
    ]);
    const emailSent = await env.DB.prepare(
      "select count(*) as n from domain_events where tenant_id = ?1 and type = 'email.sent' and json_extract(data, '$.enrollmentId') = ?2",
    )
      .bind(owner.tenantId, enr.paris)
      .first<{ n: number }>();
    expect(emailSent?.n).toBe(1);

    // Tokyo's step 2 falls due at 21:05 there (12 hours later): outside the window, moved to 09:00 next day.
    await tickAndSettle(owner.tenantId, wallClock(tokyo, monday, 0, "21:10"));
    expect((await enrollmentOf(owner, enr.tokyo)).dueAt).toBe(
      new Date(wallClock(tokyo, monday, 1, "09:00")).toISOString(),
    );
    expect(await outboxFor(people.tokyo.email)).toHaveLength(1);

    await tickAndSettle(owner.tenantId, wallClock(newYork, monday, 0, "09:05"));
    expect((await outboxFor(people.newYork.email)).map((m) => m.subject)).toEqual(["Hi Nora"]);

    await tickAndSettle(owner.tenantId, wallClock(paris, monday, 0, "21:10"));
    expect((await enrollmentOf(owner, enr.paris)).dueAt).toBe(
      new Date(wallClock(paris, monday, 1, "09:00")).toISOString(),
    );

    await tickAndSettle(owner.tenantId, wallClock(tokyo, monday, 1, "09:05"));
    await tickAndSettle(owner.tenantId, wallClock(newYork, monday, 0, "21:10"));
    expect((await enrollmentOf(owner, enr.newYork)).dueAt).toBe(
      new Date(wallClock(newYork, monday, 1, "09:00")).toISOString(),
    );
    await tickAndSettle(owner.tenantId, wallClock(paris, monday, 1, "09:05"));
    await tickAndSettle(owner.tenantId, wallClock(newYork, monday, 1, "09:05"));
    // A later tick finds nothing left to send.
    await tickAndSettle(owner.tenantId, wallClock(newYork, monday, 2, "10:00"));

    for (const [who, zone, first] of [
      ["tokyo", tokyo, "Aiko"],
      ["paris", paris, "Pierre"],
      ["newYork", newYork, "Nora"],
    ] as const) {
      expect((await outboxFor(people[who].email)).map((m) => m.subject)).toEqual([
        `Hi ${first}`,
        `Following up, ${first}`,
      ]);
      const rows = await sentRows(enr[who]);
      expect(rows.map((r) => [r.step_id, r.status, r.sent_events])).toEqual([
        [step1!.id, "sent", 1],
        [step2!.id, "sent", 1],
      ]);
      for (const row of rows) {
        const local = localClock(zone, row.sent_at!);
        expect(local.weekday).toBeLessThanOrEqual(5);
        expect(local.time >= "09:00" && local.time < "17:00", `${who} at ${local.time}`).toBe(true);
        expect(row.message_id_header).toMatch(/^om_[0-9a-z]+@reply\.crm\.localhost$/);
        expect(row.reply_token).toMatch(/^[0-9a-z]{20}$/);
      }
      const enrollment = await enrollmentOf(owner, enr[who]);
      expect([enrollment.status, enrollment.stepsCompleted, enrollment.nextStepId]).toEqual(["completed", 2, null]);
    }
    // The step bodies were rendered with the fallbacks for the missing company.
    expect((await outboxFor(people.tokyo.email))[0]!.text).toContain("Step one for Aiko at your company");

    const stats = await call(owner, "GET", `/api/v1/sequences/${sequence.id}/stats`);
    expect(stats.totals).toEqual({
      sent: 6,
      opened: 0,
      clicked: 0,
      replied: 0,
      bounced: 0,
      unsubscribed: 0,
      skipped: 1,
      failed: 0,
    });
    expect(
      stats.steps.map((s: { stepId: string; sent: number; skipped: number }) => [s.stepId, s.sent, s.skipped]),
    ).toEqual([
      [step1!.id, 3, 1],
      [step2!.id, 3, 0],
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
