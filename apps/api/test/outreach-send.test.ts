import { createMessageBatch, env } from "cloudflare:test";
import { createDb, newId, tenantDb } from "@crm/db";
import { exitEnrollmentsForContact, sendEnrollmentStep, twilioStatusCallbackUrl } from "@crm/services";
import { describe, expect, it } from "vitest";
import { api, expectProblem, signupTenant, type TestTenant } from "./harness";
import { twilioAccountBody, twilioRequestsTo } from "./outreach-providers";
import { call, createContact, hourMs, nextMonday, outboxFor, sequenceBody, tickAndSettle } from "./outreach";
import { createWorkflow, waitForExecutions } from "./workflows";
import { recordingQueue } from "./webhooks";
import type { Bindings } from "../src/env";
import type { JobMessage } from "../src/jobs/messages";
import worker from "../src/worker";

const oneStep = (overrides: Record<string, unknown> = {}) =>
  sequenceBody({
    steps: [{ variants: [{ key: "A", weight: 100, subject: "Hello {{contact.firstName}}", body: "Body" }] }],
    ...overrides,
  });

async function enroll(owner: TestTenant, sequenceId: string, contactIds: string[]) {
  const result = await call(owner, "POST", `/api/v1/sequences/${sequenceId}/enrollments`, { contactIds });
  return result.data.map((r: { enrollmentId: string }) => r.enrollmentId) as string[];
}

async function messagesOf(enrollmentId: string) {
  return (
    await env.DB.prepare(
      "select status, skip_reason, channel from outreach_messages where enrollment_id = ?1 order by created_at",
    )
      .bind(enrollmentId)
      .all<{ status: string; skip_reason: string | null; channel: string }>()
  ).results;
}

/** A mailbox row as the mailbox module writes it (its API lives there): the dev outbox transport. */
async function insertMailbox(owner: TestTenant, fields: { dailyCap: number; minSpacingSeconds: number }) {
  const id = newId("mailbox");
  await env.DB.prepare(
    `insert into mailboxes (id, tenant_id, name, from_address, from_name, transport, settings, daily_cap, min_spacing_seconds, is_default, created_at, updated_at)
     values (?1, ?2, 'Sales', 'sales@acme.test', 'Sam Sales', 'dev_outbox', '{}', ?3, ?4, 1, ?5, ?5)`,
  )
    .bind(id, owner.tenantId, fields.dailyCap, fields.minSpacingSeconds, Date.now())
    .run();
  return id;
}

const sendDeps = () => ({
  db: createDb(env.DB),
  secretsKey: env.SECRETS_KEY,
  publicApiUrl: env.PUBLIC_API_URL,
  inboundDomain: env.INBOUND_DOMAIN,
});

/** Queue messages handed to the consumer as one batch, as the queue delivers them. */
async function deliver(bodies: unknown[]) {
  const batch = createMessageBatch(
    "crm-jobs",
    bodies.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body })),
  );
  await worker.queue(batch, env);
}

describe("the send pipeline", () => {
  it("sends a batch of dev-outbox steps once each, however often and side by side it is delivered; another tenant's enrollment in it is not touched", async () => {
    const owner = await signupTenant("Batch sends");
    const sequence = await call(owner, "POST", "/api/v1/sequences", sequenceBody(), 201);
    const [step1, step2] = sequence.steps as { id: string }[];
    const people = [
      await createContact(owner, { firstName: "Ada" }),
      await createContact(owner, { firstName: "Ben" }),
      await createContact(owner, { firstName: "Cy" }),
    ];
    const enrollments = await enroll(
      owner,
      sequence.id,
      people.map((p) => p.id),
    );
    const other = await signupTenant("Batch sends, other tenant");
    const otherSequence = await call(other, "POST", "/api/v1/sequences", sequenceBody(), 201);
    const otherContact = await createContact(other, { firstName: "Eve" });
    const [otherEnrollment] = await enroll(other, otherSequence.id, [otherContact.id]);

    const at = nextMonday() + 10 * hourMs;
    const batch = {
      type: "outreach.sendBatch",
      tenantId: owner.tenantId,
      at,
      sends: [
        ...enrollments.map((enrollmentId) => ({ enrollmentId, stepId: step1!.id })),
        { enrollmentId: otherEnrollment!, stepId: otherSequence.steps[0].id },
      ],
    };
    await Promise.all([deliver([batch, batch]), deliver([batch])]);
    await deliver([batch]);

    for (const [i, enrollmentId] of enrollments.entries()) {
      const rows = (
        await env.DB.prepare(
          `select m.id, m.status, m.subject, m.sent_at, m.message_id_header, m.transport, o.id as outbox_id, o.text as outbox_text,
                  (select count(*) from outreach_events e where e.contact_id = m.contact_id and e.type = 'sent') as sent_events,
                  (select count(*) from domain_events d where d.tenant_id = m.tenant_id and d.type = 'email.sent'
                     and json_extract(d.data, '$.enrollmentId') = m.enrollment_id) as email_sent
             from outreach_messages m left join outbox_messages o on o.id = m.provider_message_id
            where m.enrollment_id = ?1`,
        )
          .bind(enrollmentId)
          .all<Record<string, string | number>>()
      ).results;
      expect(rows.length).toBe(1);
      const row = rows[0]!;
      expect([row.status, row.subject, row.sent_at, row.transport, row.sent_events, row.email_sent]).toEqual([
        "sent",
        `Hi ${people[i]!.firstName}`,
        at,
        "dev-outbox",
        1,
        1,
      ]);
      expect(row.message_id_header).toBe(`${row.id}@${env.INBOUND_DOMAIN}`);
      // The outbox row is the message's, and its links are signed for that message.
      expect(row.outbox_text).toContain(`/t/u/u.${owner.tenantId}.${row.id}.`);
      expect((await outboxFor(people[i]!.email)).map((m) => m.subject)).toEqual([`Hi ${people[i]!.firstName}`]);
      const enrollment = await call(owner, "GET", `/api/v1/enrollments/${enrollmentId}`);
      expect([enrollment.status, enrollment.nextStepId, enrollment.stepsCompleted, enrollment.dueAt]).toEqual([
        "active",
        step2!.id,
        1,
        new Date(at + 12 * hourMs).toISOString(),
      ]);
    }
    // The other tenant's enrollment, named in this tenant's message, is neither sent nor moved.
    expect(await messagesOf(otherEnrollment!)).toEqual([]);
    expect(await outboxFor(otherContact.email)).toEqual([]);
    const untouched = await call(other, "GET", `/api/v1/enrollments/${otherEnrollment}`);
    expect([untouched.status, untouched.nextStepId, untouched.stepsCompleted]).toEqual([
      "active",
      otherSequence.steps[0].id,
      0,
    ]);
  });

  it("a batch send records the same `sent` and `email.sent` events as a step sent alone", async () => {
    const owner = await signupTenant("Batch events");
    const subject = 'Hi {{contact.firstName}}: "quoted" \\ back\tslash, ünïcode ✓ 🎉 \u2028';
    const sequence = await call(
      owner,
      "POST",
      "/api/v1/sequences",
      oneStep({ steps: [{ variants: [{ key: "B", weight: 100, subject, body: "Body" }] }] }),
      201,
    );
    const stepId = sequence.steps[0].id as string;
    const firstName = 'Zoë "Q" \\ O\'Neil';
    const [batched, alone] = [await createContact(owner, { firstName }), await createContact(owner, { firstName })];
    const [batchedEnrollment, aloneEnrollment] = await enroll(owner, sequence.id, [batched.id, alone.id]);
    const at = nextMonday() + 10 * hourMs;
    await deliver([
      {
        type: "outreach.sendBatch",
        tenantId: owner.tenantId,
        at,
        sends: [{ enrollmentId: batchedEnrollment!, stepId }],
      },
    ]);
    const single = await sendEnrollmentStep(sendDeps(), {
      tenantId: owner.tenantId,
      enrollmentId: aloneEnrollment!,
      stepId,
      at,
    });
    expect(single.outcome).toBe("sent");

    // Each row as stored, its own ids and the times it was written at masked (the data's text whole).
    const eventsOf = async (enrollmentId: string, contactId: string) => {
      const message = await env.DB.prepare(
        "select id, to_address from outreach_messages where enrollment_id = ?1 and status = 'sent'",
      )
        .bind(enrollmentId)
        .first<{ id: string; to_address: string }>();
      const mask = (value: unknown) =>
        typeof value === "string"
          ? value
              .replaceAll(message!.id, "<message>")
              .replaceAll(contactId, "<contact>")
              .replaceAll(enrollmentId, "<enrollment>")
              .replaceAll(message!.to_address, "<to>")
          : value;
      const rows = async (query: string) =>
        (await env.DB.prepare(query).bind(owner.tenantId, message!.id, contactId).all<Record<string, unknown>>()).results.map(
          ({ id, created_at, ...row }) => {
            expect([typeof id, typeof created_at]).toEqual(["string", "number"]);
            return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, mask(value)]));
          },
        );
      return {
        sent: await rows("select * from outreach_events where tenant_id = ?1 and message_id = ?2 and ?3 is not null"),
        emailSent: await rows(
          "select * from domain_events where tenant_id = ?1 and type = 'email.sent' and json_extract(data, '$.messageId') = ?2 and entity_id = ?3",
        ),
      };
    };
    const fromBatch = await eventsOf(batchedEnrollment!, batched.id);
    expect(fromBatch.sent).toHaveLength(1);
    expect(fromBatch.emailSent).toHaveLength(1);
    expect(fromBatch.emailSent[0]!.request_id).toBe("outreach:<enrollment>");
    expect(JSON.parse(fromBatch.emailSent[0]!.data as string).subject).toBe(
      subject.replace("{{contact.firstName}}", firstName),
    );
    expect(fromBatch).toEqual(await eventsOf(aloneEnrollment!, alone.id));
  });

  it("a queue batch of send messages queues one webhook and one workflow dispatch per tenant that sent, none when nothing was sent", async () => {
    const tenants = [await signupTenant("Dispatch once A"), await signupTenant("Dispatch once B")];
    const messages: Extract<JobMessage, { type: "outreach.sendBatch" }>[] = [];
    for (const owner of tenants) {
      const sequence = await call(owner, "POST", "/api/v1/sequences", oneStep(), 201);
      const people = [
        await createContact(owner, { firstName: "Ada" }),
        await createContact(owner, { firstName: "Ben" }),
      ];
      const enrollments = await enroll(
        owner,
        sequence.id,
        people.map((p) => p.id),
      );
      // One message per enrollment: the first tenant's two messages record events separately.
      for (const enrollmentId of enrollments)
        messages.push({
          type: "outreach.sendBatch",
          tenantId: owner.tenantId,
          at: nextMonday() + 10 * hourMs,
          sends: [{ enrollmentId, stepId: sequence.steps[0].id }],
        });
    }
    const deliverRecorded = async () => {
      const { queue, sent } = recordingQueue();
      const batch = createMessageBatch(
        "crm-jobs",
        messages.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body })),
      );
      await worker.queue(batch, { ...env, JOBS: queue } as Bindings);
      return sent.map((m) => [m.body.type, "tenantId" in m.body ? m.body.tenantId : null]);
    };

    expect(await deliverRecorded()).toEqual(
      tenants.flatMap((t) => [
        ["webhooks.dispatch", t.tenantId],
        ["workflows.dispatch", t.tenantId],
      ]),
    );
    const emailSent = await env.DB.prepare(
      "select count(*) as n from domain_events where type = 'email.sent' and tenant_id in (?1, ?2)",
    )
      .bind(tenants[0]!.tenantId, tenants[1]!.tenantId)
      .first<{ n: number }>();
    expect(emailSent?.n).toBe(4);
    // Delivered again: every step is a duplicate, no event was recorded, nothing to dispatch.
    expect(await deliverRecorded()).toEqual([]);
  });

  it("exits on a booked meeting or a won deal before sending, and skips opted-out and suppressed addresses with their reasons", async () => {
    const owner = await signupTenant("Exits");
    const sequence = await call(owner, "POST", "/api/v1/sequences", oneStep(), 201);
    const met = await createContact(owner, { firstName: "Met" });
    const won = await createContact(owner, { firstName: "Won" });
    const optedOut = await createContact(owner, { firstName: "Out", consent: { status: "opted_out", source: "form" } });
    const suppressed = await createContact(owner, { firstName: "Supp" });
    const fine = await createContact(owner, { firstName: "Fine" });
    const [eMet, eWon, eOut, eSupp, eFine] = await enroll(owner, sequence.id, [
      met.id,
      won.id,
      optedOut.id,
      suppressed.id,
      fine.id,
    ]);
    await call(
      owner,
      "POST",
      "/api/v1/activities",
      { type: "meeting", subject: "Demo", recordType: "contact", recordId: met.id },
      201,
    );
    const deal = await call(owner, "POST", "/api/v1/deals", { name: "Big one", contactId: won.id }, 201);
    await call(owner, "PATCH", `/api/v1/deals/${deal.id}`, { status: "won" });
    await env.DB.prepare(
      "insert into suppressions (id, tenant_id, address, reason, source, created_at) values (?1, ?2, ?3, 'bounced', 'test', ?4)",
    )
      .bind(newId("suppression"), owner.tenantId, suppressed.email.toLowerCase(), Date.now())
      .run();

    await tickAndSettle(owner.tenantId, nextMonday() + 10 * hourMs);
    const state = async (id: string) => {
      const e = await call(owner, "GET", `/api/v1/enrollments/${id}`);
      return [e.status, e.exitReason];
    };
    expect(await state(eMet!)).toEqual(["exited", "meeting_booked"]);
    expect(await state(eWon!)).toEqual(["exited", "deal_won"]);
    expect(await state(eOut!)).toEqual(["exited", "unsubscribed"]);
    expect(await state(eSupp!)).toEqual(["exited", "bounced"]);
    expect(await state(eFine!)).toEqual(["completed", null]);
    expect(await messagesOf(eMet!)).toEqual([]);
    expect(await messagesOf(eWon!)).toEqual([]);
    expect((await messagesOf(eOut!)).map((m) => [m.status, m.skip_reason])).toEqual([["skipped", "opted_out"]]);
    expect((await messagesOf(eSupp!)).map((m) => [m.status, m.skip_reason])).toEqual([
      ["skipped", "suppressed_bounced"],
    ]);
    for (const person of [met, won, optedOut, suppressed]) expect(await outboxFor(person.email)).toEqual([]);
    expect((await outboxFor(fine.email)).map((m) => m.subject)).toEqual(["Hello Fine"]);
  });

  it("skips an SMS step without a configured provider (channel_not_configured) and goes on to the next step", async () => {
    const owner = await signupTenant("Channels");
    const sequence = await call(
      owner,
      "POST",
      "/api/v1/sequences",
      sequenceBody({
        steps: [
          { channel: "sms", variants: [{ key: "A", weight: 100, body: "Hi {{contact.firstName}}" }] },
          { delayAmount: 0, variants: [{ key: "A", weight: 100, subject: "By email", body: "Body" }] },
        ],
      }),
      201,
    );
    const contact = await createContact(owner, {
      firstName: "Sam",
      phones: [{ number: "+14155550100", label: "mobile" }],
    });
    const [enrollment] = await enroll(owner, sequence.id, [contact.id]);
    const monday = nextMonday();
    await tickAndSettle(owner.tenantId, monday + 10 * hourMs);
    expect((await messagesOf(enrollment!)).map((m) => [m.channel, m.status, m.skip_reason])).toEqual([
      ["sms", "skipped", "channel_not_configured"],
    ]);
    await tickAndSettle(owner.tenantId, monday + 10 * hourMs + 5 * 60_000);
    expect((await messagesOf(enrollment!)).map((m) => [m.channel, m.status])).toEqual([
      ["sms", "skipped"],
      ["email", "sent"],
    ]);
    expect((await call(owner, "GET", `/api/v1/enrollments/${enrollment}`)).status).toBe("completed");
  });

  it("sends an SMS step through the tenant's Twilio account, with its status callback, once", async () => {
    const owner = await signupTenant("Channels via Twilio");
    await call(owner, "PUT", "/api/v1/outreach/twilio", twilioAccountBody());
    const sequence = await call(
      owner,
      "POST",
      "/api/v1/sequences",
      sequenceBody({
        steps: [
          { channel: "sms", variants: [{ key: "A", weight: 100, body: "Hi {{contact.firstName}}, a quick note" }] },
        ],
      }),
      201,
    );
    const phone = `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`;
    const contact = await createContact(owner, { firstName: "Sam", phones: [{ number: phone, label: "mobile" }] });
    const [enrollment] = await enroll(owner, sequence.id, [contact.id]);
    await tickAndSettle(owner.tenantId, nextMonday() + 10 * hourMs);
    const [message] = (
      await env.DB.prepare(
        "select id, status, channel, to_address, provider_message_id from outreach_messages where enrollment_id = ?1",
      )
        .bind(enrollment)
        .all<{ id: string; status: string; channel: string; to_address: string; provider_message_id: string }>()
    ).results;
    expect([message!.channel, message!.status, message!.to_address]).toEqual(["sms", "sent", phone]);
    const requests = await twilioRequestsTo(phone);
    expect(requests.map((r) => [r.path.endsWith("/Messages.json"), r.params.Body, r.params.StatusCallback])).toEqual([
      [true, "Hi Sam, a quick note", twilioStatusCallbackUrl(env.PUBLIC_API_URL, owner.tenantId, message!.id)],
    ]);
    expect(message!.provider_message_id).toMatch(/^SM[0-9a-f]{32}$/);
    expect((await call(owner, "GET", `/api/v1/enrollments/${enrollment}`)).status).toBe("completed");
  });

  it("keeps a mailbox under its daily cap (the rest wait for the next UTC day) and spaces its sends", async () => {
    const owner = await signupTenant("Caps");
    await insertMailbox(owner, { dailyCap: 2, minSpacingSeconds: 0 });
    const sequence = await call(owner, "POST", "/api/v1/sequences", oneStep(), 201);
    const people = [await createContact(owner), await createContact(owner), await createContact(owner)];
    const ids = await enroll(
      owner,
      sequence.id,
      people.map((p) => p.id),
    );
    const monday = nextMonday();
    await tickAndSettle(owner.tenantId, monday + 10 * hourMs);
    const enrollments = await Promise.all(ids.map((id) => call(owner, "GET", `/api/v1/enrollments/${id}`)));
    expect(enrollments.filter((e) => e.status === "completed")).toHaveLength(2);
    const waiting = enrollments.filter((e) => e.status === "active");
    expect(waiting.map((e) => e.dueAt)).toEqual([new Date(monday + 24 * hourMs).toISOString()]);
    await tickAndSettle(owner.tenantId, monday + 24 * hourMs + 10 * hourMs);
    expect((await call(owner, "GET", `/api/v1/enrollments/${waiting[0].id}`)).status).toBe("completed");
    const counts = await env.DB.prepare("select day, sent from mailbox_daily_sends where tenant_id = ?1 order by day")
      .bind(owner.tenantId)
      .all();
    expect(counts.results.map((r) => r.sent)).toEqual([2, 1]);

    // Spacing: a second send within 120 s of the first is deferred to its slot, then goes out there.
    const spaced = await signupTenant("Spacing");
    await insertMailbox(spaced, { dailyCap: 100, minSpacingSeconds: 120 });
    const seq2 = await call(spaced, "POST", "/api/v1/sequences", oneStep(), 201);
    const pair = [await createContact(spaced), await createContact(spaced)];
    const [a, b] = await enroll(
      spaced,
      seq2.id,
      pair.map((p) => p.id),
    );
    const at = monday + 11 * hourMs;
    const stepId = seq2.steps[0].id;
    expect(
      (await sendEnrollmentStep(sendDeps(), { tenantId: spaced.tenantId, enrollmentId: a!, stepId, at })).outcome,
    ).toBe("sent");
    const deferred = await sendEnrollmentStep(sendDeps(), { tenantId: spaced.tenantId, enrollmentId: b!, stepId, at });
    expect(deferred).toEqual({ outcome: "deferred", slotAt: at + 120_000 });
    expect(await outboxFor(pair[1]!.email)).toEqual([]);
    const later = await sendEnrollmentStep(sendDeps(), {
      tenantId: spaced.tenantId,
      enrollmentId: b!,
      stepId,
      at: at + 120_000,
      slotAt: at + 120_000,
    });
    expect(later.outcome).toBe("sent");
    expect((await outboxFor(pair[1]!.email)).map((m) => m.subject)).toEqual([`Hello ${pair[1]!.firstName}`]);
  });

  it("a workflow enrolls the contact with enroll_in_sequence; exitEnrollmentsForContact ends it", async () => {
    const owner = await signupTenant("Workflow enroll");
    const sequence = await call(owner, "POST", "/api/v1/sequences", oneStep(), 201);
    const bad = await api("POST", "/api/v1/workflows", {
      token: owner.accessToken,
      body: {
        name: "Bad",
        object: "contact",
        trigger: { type: "record.created" },
        actions: [{ type: "enroll_in_sequence", sequenceId: "seq_01jc9x7d1q8m3v5n2k4p6r8t0w" }],
      },
    });
    expect((await expectProblem(bad, 422)).errors).toEqual([
      { path: "body.actions.0.sequenceId", message: "Sequence seq_01jc9x7d1q8m3v5n2k4p6r8t0w was not found" },
    ]);
    const workflow = await createWorkflow(owner, {
      name: "Enroll new contacts",
      object: "contact",
      trigger: { type: "record.created" },
      actions: [{ type: "enroll_in_sequence", sequenceId: sequence.id }],
    });
    const contact = await createContact(owner, { firstName: "Wendy" });
    const [run] = await waitForExecutions(owner, workflow.id, (runs) => runs.some((r) => r.status === "succeeded"));
    expect(run!.recordId).toBe(contact.id);
    const list = await call(owner, "GET", `/api/v1/sequences/${sequence.id}/enrollments`);
    expect(
      list.data.map((e: { contactId: string; source: string; enrolledBy: string; status: string }) => [
        e.contactId,
        e.source,
        e.enrolledBy,
        e.status,
      ]),
    ).toEqual([[contact.id, "workflow", workflow.id, "active"]]);

    // A sequence that keeps going on replies is left alone.
    const nurture = await call(
      owner,
      "POST",
      "/api/v1/sequences",
      oneStep({ name: "Nurture", exitRules: { onReply: false } }),
      201,
    );
    const [kept] = await enroll(owner, nurture.id, [contact.id]);
    const ended = await exitEnrollmentsForContact(
      {
        tenant: { id: owner.tenantId },
        actor: { type: "system", id: "test" },
        db: tenantDb(createDb(env.DB), owner.tenantId),
        requestId: "test",
      },
      contact.id,
      "replied",
    );
    expect(ended).toBe(1);
    const after = await call(owner, "GET", `/api/v1/enrollments/${list.data[0].id}`);
    expect([after.status, after.exitReason, after.dueAt]).toEqual(["exited", "replied", null]);
    expect((await call(owner, "GET", `/api/v1/enrollments/${kept}`)).status).toBe("active");
  });
});
