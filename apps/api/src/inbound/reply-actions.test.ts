// What a reply's suggested action does to sequences and the CRM, through the real inbound
// path (the email() handler with a parsed MIME message), the scheduler and the workflows.
import { aiReplyActionTypes, aiReplyClasses } from "@crm/workflows";
import { replyClassNames } from "@crm/ai";
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { api, json, signupTenant, type TestTenant, uniqueEmail } from "../../test/harness";
import { hourMs, nextMonday, outboxFor, tickAndSettle } from "../../test/outreach";
import { createContact, inboundDomain, type SeededSend, seedSentMessage } from "../../test/outreach-seed";
import { createWorkflow, waitForExecutions } from "../../test/workflows";
import { handleInboundEmail } from "./email";

const dayMs = 24 * hourMs;
const isoDay = (at: number) => new Date(at).toISOString().slice(0, 10);
const dayMonth = (at: number) =>
  new Date(at).toLocaleDateString("en-GB", { day: "numeric", month: "long", timeZone: "UTC" });

function reply(options: { from: string; to: string; subject: string; body: string; messageId: string }): string {
  return [
    `From: Ana Lima <${options.from}>`,
    `To: ${options.to}`,
    `Subject: ${options.subject}`,
    `Message-ID: <${options.messageId}>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    options.body,
  ].join("\n");
}

/** The email() handler's work for one message received at `now`, optionally with an AI binding. */
async function receive(raw: string, envelope: { from: string; to: string }, now: Date, ai?: Ai) {
  const bytes = new TextEncoder().encode(raw.replace(/\r?\n/g, "\r\n"));
  const message = {
    from: envelope.from,
    to: envelope.to,
    raw: new Response(bytes).body!,
    rawSize: bytes.length,
    headers: new Headers(),
    setReject() {
      throw new Error("a matched reply was rejected");
    },
  } as unknown as ForwardableEmailMessage;
  const ctx = createExecutionContext();
  const outcome = await handleInboundEmail(message, (ai ? { ...env, AI: ai } : env) as never, ctx, now);
  await waitOnExecutionContext(ctx);
  return outcome;
}

let a: TestTenant;
let b: TestTenant;
beforeAll(async () => {
  [a, b] = await Promise.all([signupTenant("Reply actions A"), signupTenant("Reply actions B")]);
});

async function sentTo(owner: TestTenant, label: string, options: Parameters<typeof seedSentMessage>[2] = {}) {
  const email = uniqueEmail(label);
  const contact = (await createContact(owner, email)) as { id: string; ownerId: string };
  const sent = await seedSentMessage(owner.tenantId, { id: contact.id, email }, options);
  return { email, contact, sent };
}

/** One reply from the contact to the message, received at `at` (delivered `times` times). */
async function replyTo(
  who: { email: string; sent: SeededSend },
  body: string,
  at: Date,
  options: { subject?: string; times?: number; ai?: Ai } = {},
) {
  const to = `reply+${who.sent.replyToken}@${inboundDomain}`;
  const raw = reply({
    from: who.email,
    to,
    subject: options.subject ?? "Re: Quick question",
    body,
    messageId: `${crypto.randomUUID()}@mail.acme.example`,
  });
  const outcomes = [];
  for (let i = 0; i < (options.times ?? 1); i++)
    outcomes.push(await receive(raw, { from: who.email, to }, at, options.ai));
  return outcomes;
}

async function enrollment(owner: TestTenant, id: string) {
  const response = await api("GET", `/api/v1/enrollments/${id}`, { token: owner.accessToken });
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response);
}

async function contactOf(owner: TestTenant, id: string) {
  return json(await api("GET", `/api/v1/contacts/${id}`, { token: owner.accessToken }));
}

/** The tenant's contacts with this primary email, as the API shows them. */
async function contactsByEmail(owner: TestTenant, email: string) {
  const { results } = await env.DB.prepare("select id from contacts where tenant_id = ? and primary_email = ?")
    .bind(owner.tenantId, email)
    .all<{ id: string }>();
  return Promise.all(results.map((r) => contactOf(owner, r.id)));
}

async function tasksAbout(owner: TestTenant, contactId: string) {
  const page = await json(
    await api("GET", `/api/v1/tasks?recordType=contact&recordId=${contactId}`, { token: owner.accessToken }),
  );
  return page.data as {
    id: string;
    title: string;
    assigneeId: string | null;
    priority: string;
    status: string;
    dueAt: string;
  }[];
}

async function inboundOf(messageId: string) {
  return env.DB.prepare(
    "select id, classification, ai_classification from inbound_emails where message_id = ? order by id",
  )
    .bind(messageId)
    .all<{ id: string; classification: string; ai_classification: string | null }>()
    .then((r) => r.results);
}

describe("out of office", () => {
  it("pauses the enrollment until the return date; the scheduler resumes it that day and sends the next step", async () => {
    // The simulated fortnight: the reply arrives on a Monday, the contact is away until Sunday week.
    const monday = nextMonday();
    const who = await sentTo(a, "ooo-date", { sentAt: new Date(monday - 3 * dayMs) });
    const receivedAt = new Date(monday + 10 * hourMs);
    const away = monday + 13 * dayMs;
    const back = monday + 14 * dayMs;
    const outcomes = await replyTo(
      who,
      `I am out of the office until ${dayMonth(away)} with no access to email.`,
      receivedAt,
      {
        subject: "Automatic reply: Quick question",
        times: 2,
      },
    );
    expect(outcomes.map((o) => o.status === "unmatched" || [o.status, o.effect])).toEqual([
      ["stored", "paused"],
      ["duplicate", "paused"],
    ]);
    const [stored] = await inboundOf(who.sent.messageId);
    const paused = await enrollment(a, who.sent.enrollmentId);
    expect(paused).toMatchObject({
      status: "paused",
      exitReason: null,
      pausedAt: receivedAt.toISOString(),
      pausedUntil: new Date(back).toISOString(),
      stepsCompleted: 1,
      statusReason: {
        inboundEmailId: stored!.id,
        decidedBy: "ai",
        classification: "out_of_office",
        ruleClassification: "out_of_office",
        action: "pause_sequence_until",
        description: `Paused until ${isoDay(back)}: Pause the sequence until ${isoDay(back)}.`,
      },
    });
    // An away message is not a reply: the message stays unanswered in analytics.
    const message = await json(
      await api("GET", `/api/v1/outreach/messages/${who.sent.messageId}`, { token: a.accessToken }),
    );
    expect(message.repliedAt).toBeNull();

    // Inside the send window while away (Friday 10:00): nothing goes out.
    await tickAndSettle(a.tenantId, monday + 11 * dayMs + 10 * hourMs);
    expect(await outboxFor(who.email)).toEqual([]);
    expect((await enrollment(a, who.sent.enrollmentId)).status).toBe("paused");

    // The return day, 09:30: resumed and step 2 (the last) sent by the same tick.
    await tickAndSettle(a.tenantId, back + 9.5 * hourMs);
    expect((await outboxFor(who.email)).map((m) => m.subject)).toEqual(["Quick question"]);
    expect(await enrollment(a, who.sent.enrollmentId)).toMatchObject({
      status: "completed",
      pausedAt: null,
      pausedUntil: null,
      statusReason: null,
      stepsCompleted: 2,
    });
  });

  it("without a return date pauses for seven days", async () => {
    const who = await sentTo(a, "ooo-nodate");
    const receivedAt = new Date("2026-12-02T10:00:00.000Z");
    await replyTo(who, "I am currently out of the office with limited access to email.", receivedAt, {
      subject: "Automatic reply: Quick question",
    });
    expect(await enrollment(a, who.sent.enrollmentId)).toMatchObject({
      status: "paused",
      pausedUntil: "2026-12-09T00:00:00.000Z",
      statusReason: {
        classification: "out_of_office",
        action: "pause_sequence_until",
        description: "Paused until 2026-12-09: Pause the sequence until 2026-12-09 (no return date given; 7 days).",
      },
    });
  });

  it("a pause a person made stays theirs: the away reply does not give it an end", async () => {
    const who = await sentTo(a, "ooo-manual");
    expect(
      (await api("POST", `/api/v1/enrollments/${who.sent.enrollmentId}/pause`, { token: a.accessToken })).status,
    ).toBe(200);
    await replyTo(who, "I am currently out of the office with limited access to email.", new Date(), {
      subject: "Automatic reply: Quick question",
    });
    expect(await enrollment(a, who.sent.enrollmentId)).toMatchObject({
      status: "paused",
      pausedUntil: null,
      statusReason: null,
    });
  });
});

describe("automatic replies, unsubscribe requests", () => {
  it("an automatic reply is kept and the sequence goes on", async () => {
    const who = await sentTo(a, "auto");
    const [outcome] = await replyTo(
      who,
      "Thank you for your email. This is an automated response confirming we received your message.",
      new Date(),
      { subject: "Automatic reply: Quick question" },
    );
    expect(outcome).toMatchObject({ status: "stored", effect: "auto_reply" });
    expect(await inboundOf(who.sent.messageId)).toMatchObject([{ ai_classification: "bounce_auto_reply" }]);
    expect(await enrollment(a, who.sent.enrollmentId)).toMatchObject({
      status: "active",
      pausedUntil: null,
      statusReason: null,
    });
  });

  it("an unsubscribe request opts the contact out (source and time) and ends every live enrollment", async () => {
    const who = await sentTo(a, "unsub");
    const other = await seedSentMessage(a.tenantId, { id: who.contact.id, email: who.email });
    const receivedAt = new Date("2026-12-02T11:00:00.000Z");
    await replyTo(who, "Please remove me from your list.", receivedAt, { times: 2 });
    const contact = await contactOf(a, who.contact.id);
    expect(contact.consent).toEqual({
      status: "opted_out",
      source: `reply:${who.sent.messageId}`,
      changedAt: receivedAt.toISOString(),
    });
    const [stored] = await inboundOf(who.sent.messageId);
    for (const id of [who.sent.enrollmentId, other.enrollmentId]) {
      expect(await enrollment(a, id)).toMatchObject({
        status: "exited",
        exitReason: "unsubscribed",
        endedAt: receivedAt.toISOString(),
        statusReason: {
          inboundEmailId: stored!.id,
          decidedBy: "ai",
          classification: "unsubscribe_request",
          ruleClassification: "unsubscribe",
          action: "unsubscribe_contact",
          description:
            "Exited: the contact asked to unsubscribe. Unsubscribe the contact and stop every sequence they are in.",
        },
      });
    }
  });
});

describe("replies a person answers", () => {
  it("interested: the enrollment exits as replied and the owner gets a follow-up task, once", async () => {
    const who = await sentTo(a, "keen");
    const receivedAt = new Date("2026-12-02T12:00:00.000Z");
    await replyTo(who, "Sounds good, let's set up a call on Thursday.", receivedAt, { times: 2 });
    const tasks = await tasksAbout(a, who.contact.id);
    expect(tasks.map((t) => [t.title, t.assigneeId, t.priority, t.status, t.dueAt])).toEqual([
      ["Follow up with Ana Lima: interested", who.contact.ownerId, "high", "open", receivedAt.toISOString()],
    ]);
    const e = await enrollment(a, who.sent.enrollmentId);
    expect(e).toMatchObject({ status: "exited", exitReason: "replied", endedAt: receivedAt.toISOString() });
    expect(e.statusReason).toMatchObject({
      decidedBy: "ai",
      classification: "interested",
      ruleClassification: "interested",
      action: "stop_sequence_create_task",
    });
    expect(e.statusReason.description).toBe(
      `Exited: Stop the sequence and create a task to follow up personally. Done: task ${tasks[0]!.id} created.`,
    );
  });

  it("a question: exits as replied with a task to answer it; not interested: the lead status is set", async () => {
    const asks = await sentTo(a, "asks");
    const declines = await sentTo(a, "declines");
    await replyTo(asks, "What does it cost for a team of ten?", new Date());
    await replyTo(declines, "Not interested, thanks.", new Date());
    expect((await tasksAbout(a, asks.contact.id)).map((t) => [t.title, t.assigneeId])).toEqual([
      ["Answer Ana Lima's question", asks.contact.ownerId],
    ]);
    expect(await enrollment(a, asks.sent.enrollmentId)).toMatchObject({
      status: "exited",
      exitReason: "replied",
      statusReason: { classification: "question", action: "pause_sequence_answer_question" },
    });
    expect((await contactOf(a, declines.contact.id)).leadStatus).toBe("Not interested");
    expect(await tasksAbout(a, declines.contact.id)).toEqual([]);
    expect(await enrollment(a, declines.sent.enrollmentId)).toMatchObject({
      status: "exited",
      exitReason: "replied",
      statusReason: {
        classification: "not_interested",
        action: "stop_sequence_mark_not_interested",
        description:
          "Exited: Stop the sequence and mark the contact as not interested. Done: lead status set to Not interested.",
      },
    });
    // The change is a contact update like a person's: in the audit log.
    const audit = await env.DB.prepare(
      "select count(*) as n from audit_log where tenant_id = ? and entity_id = ? and action = 'update'",
    )
      .bind(a.tenantId, declines.contact.id)
      .first<{ n: number }>();
    expect(audit!.n).toBe(1);
  });

  it("where the AI (Workers AI when bound) and the rules disagree, the AI's action wins and the rule class is kept", async () => {
    const who = await sentTo(a, "disagree");
    const calls: string[] = [];
    const binding = {
      run: async (_model: string, inputs: { messages: { content: string }[] }) => {
        calls.push(inputs.messages[0]!.content);
        return {
          response: {
            classification: "question",
            confidence: 0.88,
            explanation: "They ask when a call could happen.",
            factors: [{ name: "asks about timing", impact: 1.4 }],
          },
        };
      },
    } as unknown as Ai;
    await replyTo(who, "Sounds good, let's set up a call on Thursday.", new Date(), { ai: binding });
    expect(calls.length).toBeGreaterThan(0);
    expect(await inboundOf(who.sent.messageId)).toMatchObject([
      { classification: "interested", ai_classification: "question" },
    ]);
    expect(await enrollment(a, who.sent.enrollmentId)).toMatchObject({
      status: "exited",
      exitReason: "replied",
      statusReason: {
        decidedBy: "ai",
        classification: "question",
        ruleClassification: "interested",
        action: "pause_sequence_answer_question",
      },
    });
    expect((await tasksAbout(a, who.contact.id)).map((t) => t.title)).toEqual(["Answer Ana Lima's question"]);
  });

  it("a sequence whose onReply rule is off keeps going; the task is still made", async () => {
    const who = await sentTo(a, "nurture", { exitRules: { onReply: false } });
    await replyTo(who, "Sounds good, let's set up a call on Thursday.", new Date());
    expect(await enrollment(a, who.sent.enrollmentId)).toMatchObject({ status: "active", statusReason: null });
    expect(await tasksAbout(a, who.contact.id)).toHaveLength(1);
  });
});

describe("referrals", () => {
  it("the referred address becomes a contact of the same company and owner, enrolled in the same sequence, once", async () => {
    const company = await json(
      await api("POST", "/api/v1/companies", { token: a.accessToken, body: { name: "Acme Referrals" } }),
    );
    const email = uniqueEmail("referrer");
    const referrer = (await createContact(a, email, { companyId: company.id })) as { id: string; ownerId: string };
    const sent = await seedSentMessage(a.tenantId, { id: referrer.id, email });
    const referred = uniqueEmail("maria");
    const receivedAt = new Date("2026-12-02T13:00:00.000Z");
    await replyTo(
      { email, sent },
      `I'm not the right person for this. Please contact Maria Perez (${referred}), she runs purchasing.`,
      receivedAt,
      { times: 2 },
    );
    const found = await contactsByEmail(a, referred);
    expect(found).toHaveLength(1);
    const maria = found[0];
    expect(maria).toMatchObject({
      firstName: "Maria",
      lastName: "Perez",
      emails: [{ address: referred, primary: true }],
      source: "referral",
      companyId: company.id,
      ownerId: referrer.ownerId,
      consent: { status: "unknown" },
    });
    const enrollments = await json(
      await api("GET", `/api/v1/sequences/${sent.sequenceId}/enrollments`, { token: a.accessToken }),
    );
    const theirs = enrollments.data.filter((e: { contactId: string }) => e.contactId === maria.id);
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatchObject({ status: "active", source: "referral", stepsCompleted: 0 });
    const ended = await enrollment(a, sent.enrollmentId);
    expect(ended).toMatchObject({
      status: "exited",
      exitReason: "replied",
      statusReason: { classification: "referral", action: "enrol_referred_contact" },
    });
    expect(ended.statusReason.description).toBe(
      `Exited: Stop the sequence for this contact and enrol the referred contact Maria Perez <${referred}>. ` +
        `Done: referred contact ${maria.id} created (${referred}), enrolled as ${theirs[0].id}.`,
    );
  });

  it("a suppressed referred address becomes a contact but is not enrolled", async () => {
    const who = await sentTo(a, "referrer-supp");
    const referred = uniqueEmail("suppressed");
    const added = await api("POST", "/api/v1/suppressions", {
      token: a.accessToken,
      body: { address: referred, reason: "manual" },
    });
    expect(added.status, await added.clone().text()).toBe(201);
    await replyTo(who, `I'm not the right person for this. Please contact Joe Bloggs (${referred}).`, new Date());
    expect(await contactsByEmail(a, referred)).toHaveLength(1);
    const enrollments = await json(
      await api("GET", `/api/v1/sequences/${who.sent.sequenceId}/enrollments`, { token: a.accessToken }),
    );
    expect(enrollments.data.map((e: { contactId: string }) => e.contactId)).toEqual([who.contact.id]);
    expect((await enrollment(a, who.sent.enrollmentId)).statusReason.description).toMatch(
      /not enrolled: the address is suppressed \(manual\)\.$/,
    );
  });
});

describe("tenants", () => {
  it("a reply in one tenant acts there only: a referred address another tenant has is new here", async () => {
    const referred = uniqueEmail("shared");
    const inA = (await createContact(a, referred)) as { id: string };
    const who = await sentTo(b, "tenant-b");
    await replyTo(who, `I'm not the right person for this. Please contact Kim Park (${referred}).`, new Date());
    const inB = await contactsByEmail(b, referred);
    expect(inB.map((c: { source: string }) => c.source)).toEqual(["referral"]);
    expect(inB[0].id).not.toBe(inA.id);
    expect((await contactOf(a, inA.id)).source).toBeNull();
    expect((await api("GET", `/api/v1/enrollments/${who.sent.enrollmentId}`, { token: a.accessToken })).status).toBe(
      404,
    );
    expect(await tasksAbout(a, who.contact.id)).toEqual([]);
  });
});

describe("workflows on email.replied", () => {
  it("conditions on the AI class and suggested action pick the workflow a reply runs", async () => {
    const owner = await signupTenant("Reply branches");
    const answer = await createWorkflow(owner, {
      name: "Questions",
      object: "contact",
      trigger: { type: "email.replied" },
      conditions: {
        match: "all",
        rules: [{ field: "reply.ai.classification", operator: "equals", value: "question" }],
      },
      actions: [{ type: "add_tag", tag: "answer-needed" }],
    });
    const hot = await createWorkflow(owner, {
      name: "Hot",
      object: "contact",
      trigger: { type: "email.replied" },
      conditions: {
        match: "all",
        rules: [
          { field: "reply.ai.suggestedAction.type", operator: "in", value: ["stop_sequence_create_task"] },
          { field: "reply.ai.confidence", operator: "gte", value: 0.5 },
        ],
      },
      actions: [{ type: "add_tag", tag: "hot" }],
    });
    const asks = await sentTo(owner, "branch-q");
    const keen = await sentTo(owner, "branch-i");
    await replyTo(asks, "What does it cost for a team of ten?", new Date());
    await replyTo(keen, "Sounds good, let's set up a call on Thursday.", new Date());
    const [answerRuns, hotRuns] = [
      await waitForExecutions(owner, answer.id, (r) => r.length === 1 && r[0]!.status === "succeeded"),
      await waitForExecutions(owner, hot.id, (r) => r.length === 1 && r[0]!.status === "succeeded"),
    ];
    expect(answerRuns.map((r) => r.recordId)).toEqual([asks.contact.id]);
    expect(hotRuns.map((r) => r.recordId)).toEqual([keen.contact.id]);
    expect((await contactOf(owner, asks.contact.id)).tags).toEqual(["answer-needed"]);
    expect((await contactOf(owner, keen.contact.id)).tags).toEqual(["hot"]);
  });

  it("reply fields are refused on workflows another trigger starts, at the field", async () => {
    const response = await api("POST", "/api/v1/workflows", {
      token: a.accessToken,
      body: {
        name: "Wrong trigger",
        object: "contact",
        trigger: { type: "record.created" },
        conditions: {
          match: "all",
          rules: [{ field: "reply.ai.classification", operator: "equals", value: "question" }],
        },
        actions: [{ type: "add_tag", tag: "x" }],
      },
    });
    expect(response.status).toBe(422);
    const problem = await json(response);
    expect(problem.errors).toEqual([
      {
        path: "body.conditions.rules.0.field",
        message:
          "reply.ai.classification is a field of the email.replied event: only workflows with that trigger can test it",
      },
    ]);
    const badValue = await api("POST", "/api/v1/workflows", {
      token: a.accessToken,
      body: {
        name: "Unknown class",
        object: "contact",
        trigger: { type: "email.replied" },
        conditions: { match: "all", rules: [{ field: "reply.ai.classification", operator: "equals", value: "keen" }] },
        actions: [{ type: "add_tag", tag: "x" }],
      },
    });
    expect(badValue.status).toBe(422);
    expect((await json(badValue)).errors).toEqual([
      { path: "body.conditions.rules.0.value", message: `Must be one of ${aiReplyClasses.join(", ")}` },
    ]);
  });

  it("the workflow package's AI reply classes and actions are the engine's", () => {
    expect([...aiReplyClasses]).toEqual([...replyClassNames]);
    expect(aiReplyActionTypes).toHaveLength(8);
  });
});
