import { env } from "cloudflare:test";
import { analyzeSentiment, classifyReplyIntent, rewriteContent } from "@crm/ai";
import { beforeAll, describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant, type TestTenant, uniqueEmail } from "../../../test/harness";
import { deliverEmail } from "../../../test/outreach";
import { createContact, domainEventsOf, inboundDomain, seedSentMessage } from "../../../test/outreach-seed";
import { userIdOf } from "../../../test/people";
import { anyIso, insertContact, insertDeal, ok } from "../tasks/test-support";

/** What the API answers for an engine result: the same object through JSON. */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const complaint = "Absolutely terrible support. I am furious and want a refund ASAP!";
const praise = "I love this product, it works great!";

async function aiOutputCount(tenantId: string): Promise<number> {
  const row = await env.DB.prepare("select count(*) as n from ai_outputs where tenant_id = ?")
    .bind(tenantId)
    .first<{ n: number }>();
  return row!.n;
}

async function outputs(owner: TestTenant, subjectType: string, subjectId: string) {
  return (await ok("GET", `/api/v1/ai/outputs?subjectType=${subjectType}&subjectId=${subjectId}`, owner.accessToken))
    .data;
}

async function notifications(person: TestTenant) {
  return (await ok("GET", "/api/v1/notifications", person.accessToken)).data;
}

let a: TestTenant;
let b: TestTenant;
let aOwnerId: string;
beforeAll(async () => {
  [a, b] = await Promise.all([signupTenant("AI A"), signupTenant("AI B")]);
  aOwnerId = await userIdOf(a);
});

describe("POST /api/v1/ai/sentiment", () => {
  it("answers the built-in engine's sentiment with its explanation and factors, and stores nothing", async () => {
    const before = await aiOutputCount(a.tenantId);
    const answer = await ok("POST", "/api/v1/ai/sentiment", a.accessToken, { text: complaint }, 200);
    expect(answer).toEqual(asJson(analyzeSentiment(complaint)));
    expect(answer.result.label).toBe("very_negative");
    expect(answer.result.score).toBe(-0.772);
    expect(answer.result.urgency.level).toBe("high");
    expect(answer.factors.slice(0, 3)).toEqual([
      { name: "terrible", impact: -2.852, value: "lexicon -3" },
      { name: "furious", impact: -1.98, value: "lexicon -3" },
      { name: "refund", impact: -1.32, value: "lexicon -2" },
    ]);
    expect(answer.engine).toEqual({ engine: "builtin", model: "lexicon+logistic-regression", version: "1" });
    expect(await aiOutputCount(a.tenantId)).toBe(before);
  });

  it("422 at body.text for an empty or missing text; 401 without a token; API keys need ai:read", async () => {
    const blank = await expectProblem(
      await api("POST", "/api/v1/ai/sentiment", { token: a.accessToken, body: { text: "   " } }),
      422,
      "VALIDATION_FAILED",
    );
    expect(blank.errors.map((e: { path: string }) => e.path)).toEqual(["body.text"]);
    const missing = await expectProblem(
      await api("POST", "/api/v1/ai/sentiment", { token: a.accessToken, body: {} }),
      422,
      "VALIDATION_FAILED",
    );
    expect(missing.errors.map((e: { path: string }) => e.path)).toEqual(["body.text"]);
    await expectProblem(await api("POST", "/api/v1/ai/sentiment", { body: { text: praise } }), 401);

    const reader = await createKey(a, ["ai:read"]);
    const viaKey = await ok("POST", "/api/v1/ai/sentiment", reader.key, { text: praise }, 200);
    expect([viaKey.result.label, viaKey.result.score]).toEqual(["very_positive", 0.69]);
    const other = await createKey(a, ["notes:read"]);
    await expectProblem(
      await api("POST", "/api/v1/ai/sentiment", { token: other.key, body: { text: praise } }),
      403,
      "INSUFFICIENT_SCOPE",
    );
  });
});

describe("POST /api/v1/ai/classify-reply", () => {
  it("reads the sender's own words: interested, how sure, and the suggested action", async () => {
    const text =
      "Sounds good, let's talk Tuesday.\n\nOn Mon, Mar 2, 2026 at 9:14 AM Sam <sam@ourcrm.com> wrote:\n> unsubscribe";
    const receivedAt = "2026-03-02T10:00:00.000Z";
    const answer = await ok(
      "POST",
      "/api/v1/ai/classify-reply",
      a.accessToken,
      { text, subject: "Re: onboarding", from: "dana@brightlane.io", receivedAt },
      200,
    );
    expect(answer).toEqual(
      asJson(
        classifyReplyIntent({
          text,
          subject: "Re: onboarding",
          from: "dana@brightlane.io",
          receivedAt: new Date(receivedAt),
        }),
      ),
    );
    expect(answer.result.classification).toBe("interested");
    expect(answer.result.confidence).toBe(0.999);
    expect(answer.result.action).toEqual({
      type: "stop_sequence_create_task",
      description: "Stop the sequence and create a task to follow up personally.",
    });
    expect(answer.result.ownText).toBe("Sounds good, let's talk Tuesday.");
  });

  it("resolves an out-of-office return date against receivedAt", async () => {
    const answer = await ok(
      "POST",
      "/api/v1/ai/classify-reply",
      a.accessToken,
      {
        text: "I am out of the office until 5 March with limited access to email.",
        subject: "Automatic reply: Quick question",
        receivedAt: "2026-03-02T10:00:00Z",
      },
      200,
    );
    expect(answer.result.classification).toBe("out_of_office");
    expect(answer.result.action.type).toBe("pause_sequence_until");
    expect(answer.result.action.resumeOn).toBe("2026-03-06");
  });

  it("422 at body.receivedAt for a date that is not ISO 8601, and at body.text when it is missing", async () => {
    const problem = await expectProblem(
      await api("POST", "/api/v1/ai/classify-reply", {
        token: a.accessToken,
        body: { text: "Yes please", receivedAt: "yesterday" },
      }),
      422,
      "VALIDATION_FAILED",
    );
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(["body.receivedAt"]);
    const missing = await expectProblem(
      await api("POST", "/api/v1/ai/classify-reply", { token: a.accessToken, body: { subject: "Re: hi" } }),
      422,
    );
    expect(missing.errors.map((e: { path: string }) => e.path)).toEqual(["body.text"]);
  });
});

describe("sentiment stored when notes and activities are written", () => {
  it("a negative note is stored with its sentiment, notifies the record's owner and records sentiment.negative", async () => {
    const contact = await insertContact(a.tenantId, { ownerId: aOwnerId });
    const note = await ok("POST", "/api/v1/notes", a.accessToken, {
      recordType: "contact",
      recordId: contact.id,
      body: complaint,
    });
    const expected = asJson(analyzeSentiment(complaint));
    const stored = await outputs(a, "note", note.id);
    expect(stored).toEqual([
      {
        id: expect.stringMatching(/^aio_[0-9a-z]{26}$/),
        subjectType: "note",
        subjectId: note.id,
        capability: "sentiment",
        result: expected.result,
        explanation: expected.explanation,
        factors: expected.factors,
        engine: { engine: "builtin", model: "lexicon+logistic-regression", version: "1" },
        template: null,
        rating: null,
        createdAt: anyIso,
      },
    ]);
    const mine = (await notifications(a)).filter((n: { recordId: string }) => n.recordId === contact.id);
    expect(mine).toEqual([
      {
        id: expect.stringMatching(/^ntf_/),
        message: `Very negative sentiment (score -0.772) in a note: "${complaint}"`,
        recordType: "contact",
        recordId: contact.id,
        workflowId: null,
        readAt: null,
        createdAt: anyIso,
      },
    ]);
    const events = (await domainEventsOf(a.tenantId, "sentiment.negative")).filter((e) => e.entityId === note.id);
    expect(events).toEqual([
      {
        entity: "note",
        entityId: note.id,
        data: {
          aiOutputId: stored[0].id,
          subjectType: "note",
          subjectId: note.id,
          recordType: "contact",
          recordId: contact.id,
          ownerId: aOwnerId,
          label: "very_negative",
          score: -0.772,
          urgency: "high",
          explanation: expected.explanation,
          engine: { engine: "builtin", model: "lexicon+logistic-regression", version: "1" },
        },
      },
    ]);
  });

  it("a positive note is stored without a notification or an event; editing it stores a new reading", async () => {
    const contact = await insertContact(a.tenantId, { ownerId: aOwnerId });
    const note = await ok("POST", "/api/v1/notes", a.accessToken, {
      recordType: "contact",
      recordId: contact.id,
      body: praise,
    });
    const first = await outputs(a, "note", note.id);
    expect(first.map((o: { result: { label: string; score: number } }) => [o.result.label, o.result.score])).toEqual([
      ["very_positive", 0.69],
    ]);
    expect((await notifications(a)).filter((n: { recordId: string }) => n.recordId === contact.id)).toEqual([]);
    expect((await domainEventsOf(a.tenantId, "sentiment.negative")).filter((e) => e.entityId === note.id)).toEqual([]);

    await ok("PATCH", `/api/v1/notes/${note.id}`, a.accessToken, { body: complaint }, 200);
    const after = await outputs(a, "note", note.id);
    expect(after.map((o: { result: { label: string } }) => o.result.label)).toEqual(["very_negative", "very_positive"]);
    expect((await notifications(a)).filter((n: { recordId: string }) => n.recordId === contact.id)).toHaveLength(1);
    // The same text again is not read again.
    await ok("PATCH", `/api/v1/notes/${note.id}`, a.accessToken, { body: complaint }, 200);
    expect(await outputs(a, "note", note.id)).toHaveLength(2);

    // Deleting the note deletes what was read from it.
    const stored = await env.DB.prepare("select count(*) as n from ai_outputs where tenant_id = ? and subject_id = ?")
      .bind(a.tenantId, note.id)
      .first<{ n: number }>();
    expect(stored!.n).toBe(2);
    expect((await api("DELETE", `/api/v1/notes/${note.id}`, { token: a.accessToken })).status).toBe(204);
    const left = await env.DB.prepare("select count(*) as n from ai_outputs where tenant_id = ? and subject_id = ?")
      .bind(a.tenantId, note.id)
      .first<{ n: number }>();
    expect(left!.n).toBe(0);
  });

  it("a call transcript's sentiment is stored; an edit that leaves the text alone stores nothing new", async () => {
    const {
      deal: { id: dealId },
    } = await insertDeal(a.tenantId, { ownerId: aOwnerId });
    const transcript = "The customer said the rollout was a disaster and they are very disappointed with the delays.";
    const call = await ok("POST", "/api/v1/activities", a.accessToken, {
      type: "call",
      recordType: "deal",
      recordId: dealId,
      subject: "Weekly check-in",
      body: transcript,
    });
    const expected = asJson(analyzeSentiment(transcript));
    expect(expected.result.label === "negative" || expected.result.label === "very_negative").toBe(true);
    const stored = await outputs(a, "activity", call.id);
    expect(stored.map((o: { capability: string; result: unknown; explanation: string }) => o)).toEqual([
      expect.objectContaining({ capability: "sentiment", result: expected.result, explanation: expected.explanation }),
    ]);
    const mine = (await notifications(a)).filter((n: { recordId: string }) => n.recordId === dealId);
    expect(mine.map((n: { message: string }) => n.message)).toEqual([
      `${expected.result.label === "very_negative" ? "Very negative" : "Negative"} sentiment (score ${expected.result.score}) in an activity: "${transcript.slice(0, 79).trimEnd()}…"`,
    ]);

    await ok("PATCH", `/api/v1/activities/${call.id}`, a.accessToken, { outcome: "connected" }, 200);
    expect(await outputs(a, "activity", call.id)).toHaveLength(1);
    // An activity without text has nothing to read.
    const meeting = await ok("POST", "/api/v1/activities", a.accessToken, {
      type: "meeting",
      recordType: "deal",
      recordId: dealId,
      subject: "Kick-off",
    });
    expect(await outputs(a, "activity", meeting.id)).toEqual([]);
  });
});

describe("GET /api/v1/ai/outputs", () => {
  it("another organization's note, an unknown id and a hidden record's note are 404; a bad subjectType is 422", async () => {
    const contact = await insertContact(a.tenantId, { ownerId: aOwnerId });
    const note = await ok("POST", "/api/v1/notes", a.accessToken, {
      recordType: "contact",
      recordId: contact.id,
      body: praise,
    });
    await expectProblem(
      await api("GET", `/api/v1/ai/outputs?subjectType=note&subjectId=${note.id}`, { token: b.accessToken }),
      404,
      "NOT_FOUND",
    );
    await expectProblem(
      await api("GET", "/api/v1/ai/outputs?subjectType=note&subjectId=note_00000000000000000000000000", {
        token: a.accessToken,
      }),
      404,
    );
    const problem = await expectProblem(
      await api("GET", `/api/v1/ai/outputs?subjectType=email&subjectId=${note.id}`, { token: a.accessToken }),
      422,
      "VALIDATION_FAILED",
    );
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(["query.subjectType"]);
    // B's key with the right scope still sees nothing of A's.
    const bKey = await createKey(b, ["ai:read"]);
    await expectProblem(
      await api("GET", `/api/v1/ai/outputs?subjectType=note&subjectId=${note.id}`, { token: bKey.key }),
      404,
    );
  });
});

describe("inbound replies get the AI class and sentiment", () => {
  function reply(options: { from: string; to: string; subject: string; body: string }) {
    return [
      `From: Ana Lima <${options.from}>`,
      `To: ${options.to}`,
      `Subject: ${options.subject}`,
      `Message-ID: <${crypto.randomUUID()}@mail.acme.example>`,
      "Date: Tue, 01 Dec 2026 10:00:00 +0000",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "",
      options.body,
      "",
      "On Mon, 30 Nov 2026 at 09:00, Sam <sam@vendor.example> wrote:",
      "> Hi Ana, would you be interested in a demo?",
    ].join("\n");
  }

  async function sentTo(owner: TestTenant, ownerId: string) {
    const email = uniqueEmail("ai-reply");
    const contact = await createContact(owner, email, { ownerId });
    const sent = await seedSentMessage(owner.tenantId, { id: contact.id, email });
    return { email, contact, sent, to: `reply+${sent.replyToken}@${inboundDomain}` };
  }

  it("stores the AI class, confidence and suggested action beside the rule class, readable on the message", async () => {
    const { email, contact, sent, to } = await sentTo(a, aOwnerId);
    const body = "Sounds good, let's set up a call on Thursday.";
    expect(
      await deliverEmail(reply({ from: email, to, subject: "Re: Quick question", body }), { from: email, to }),
    ).toEqual({
      rejected: null,
    });
    const message = await ok("GET", `/api/v1/outreach/messages/${sent.messageId}`, a.accessToken, undefined, 200);
    expect(message.replies).toHaveLength(1);
    const [stored] = message.replies;
    expect(stored.classification).toBe("interested");
    expect(stored.ai).toEqual({
      classification: "interested",
      confidence: expect.any(Number),
      suggestedAction: {
        type: "stop_sequence_create_task",
        description: "Stop the sequence and create a task to follow up personally.",
      },
      aiOutputId: expect.stringMatching(/^aio_/),
    });
    const expected = asJson(classifyReplyIntent({ from: email, subject: "Re: Quick question", text: body }));
    expect(stored.ai.confidence).toBe(expected.result.confidence);
    // email.replied carries it, for workflows and webhook consumers.
    const replied = (await domainEventsOf(a.tenantId, "email.replied")).filter((e) => e.entityId === contact.id);
    expect(replied.map((e) => e.data.reply.ai)).toEqual([stored.ai]);

    const saved = await outputs(a, "inbound_email", stored.id);
    expect(saved.map((o: { capability: string }) => o.capability).sort()).toEqual([
      "reply_classification",
      "sentiment",
    ]);
    const classOutput = saved.find((o: { capability: string }) => o.capability === "reply_classification");
    expect(classOutput.id).toBe(stored.ai.aiOutputId);
    expect(classOutput.result.classification).toBe("interested");
    expect(classOutput.explanation).toBe(expected.explanation);
    const sentiment = saved.find((o: { capability: string }) => o.capability === "sentiment");
    expect(sentiment.result).toEqual(asJson(analyzeSentiment(body)).result);
    // Another organization cannot read them.
    await expectProblem(
      await api("GET", `/api/v1/ai/outputs?subjectType=inbound_email&subjectId=${stored.id}`, { token: b.accessToken }),
      404,
    );
  });

  it("an angry reply notifies the contact's owner and records sentiment.negative about the inbound email", async () => {
    const { email, contact, sent, to } = await sentTo(a, aOwnerId);
    const body = "This is terrible. Your product is useless and I am furious about the wasted week.";
    const expected = asJson(analyzeSentiment(body));
    expect(["negative", "very_negative"]).toContain(expected.result.label);
    await deliverEmail(reply({ from: email, to, subject: "Re: Quick question", body }), { from: email, to });
    const message = await ok("GET", `/api/v1/outreach/messages/${sent.messageId}`, a.accessToken, undefined, 200);
    const inboundId = message.replies[0].id;
    const label = expected.result.label === "very_negative" ? "Very negative" : "Negative";
    expect(
      (await notifications(a))
        .filter((n: { recordId: string }) => n.recordId === contact.id)
        .map((n: { message: string }) => n.message),
    ).toEqual([
      `${label} sentiment (score ${expected.result.score}) in an email reply: "${body.slice(0, 79).trimEnd()}…"`,
    ]);
    const events = (await domainEventsOf(a.tenantId, "sentiment.negative")).filter((e) => e.entityId === inboundId);
    expect(events.map((e) => [e.entity, e.data.recordType, e.data.recordId, e.data.label])).toEqual([
      ["inbound_email", "contact", contact.id, expected.result.label],
    ]);
  });
});

describe("POST /api/v1/ai/content", () => {
  async function contactWithCompany(owner: TestTenant) {
    const company = await ok("POST", "/api/v1/companies", owner.accessToken, { name: "Brightlane" });
    return ok("POST", "/api/v1/contacts", owner.accessToken, {
      firstName: "Dana",
      lastName: "Reyes",
      companyId: company.id,
      emails: [{ address: uniqueEmail("dana"), primary: true }],
    });
  }

  it("composes an email from a typed-in template with the contact's, company's and deal's facts", async () => {
    const contact = await contactWithCompany(a);
    const {
      deal: { id: dealId },
    } = await insertDeal(a.tenantId, { name: "Brightlane renewal", contactId: contact.id, value: 12000 });
    const answer = await ok(
      "POST",
      "/api/v1/ai/content",
      a.accessToken,
      {
        channel: "email",
        tone: "friendly",
        contactId: contact.id,
        dealId,
        template: {
          subject: "{{deal.name}} for {{company.name}}",
          body: "I wanted to follow up on {{deal.name}}. Would a short call on Thursday work for {{company.name}}?",
        },
      },
      200,
    );
    expect(answer.engine).toEqual({ engine: "builtin", model: "content-compose", version: "1" });
    expect(answer.result).toEqual({
      channel: "email",
      tone: "friendly",
      subject: "Brightlane renewal for Brightlane",
      body: "Hi Dana,\n\nI wanted to follow up on Brightlane renewal. Would a short call on Thursday work for Brightlane?\n\nAll the best,\nAI A",
      characters: 126,
      limit: null,
      truncated: false,
      templateId: "inline",
      factsUsed: ["deal.name", "company.name"],
      fallbacksUsed: [],
      changes: [
        { rule: "greeting added", from: "", to: "Hi Dana," },
        { rule: "sign-off added", from: "", to: "All the best," },
      ],
    });
    expect(answer.explanation).toBe(
      'Composed a friendly email from template "typed in". Context used: deal.name = "Brightlane renewal", ' +
        'company.name = "Brightlane". Rules applied: greeting added, sign-off added.',
    );
    expect(answer.factors.slice(0, 2)).toEqual([
      { name: "deal.name", impact: 1, value: "Brightlane renewal" },
      { name: "company.name", impact: 1, value: "Brightlane" },
    ]);
  });

  it("uses a sequence step's variant as the template and keeps an SMS within 160 characters", async () => {
    const contact = await contactWithCompany(a);
    const sequence = await ok("POST", "/api/v1/sequences", a.accessToken, {
      name: "AI content",
      steps: [
        {
          channel: "sms",
          variants: [
            {
              key: "A",
              weight: 100,
              body:
                "Hi {{contact.firstName|there}}, I hope this message finds you well. We help teams like {{company.name}} " +
                "cut their reporting time in half with automated dashboards, alerts and scheduled exports. " +
                "Would you have ten minutes this week for a quick call?",
            },
          ],
        },
      ],
    });
    const stepId = sequence.steps[0].id;
    const answer = await ok(
      "POST",
      "/api/v1/ai/content",
      a.accessToken,
      { channel: "sms", tone: "casual", templateId: stepId, contactId: contact.id },
      200,
    );
    expect(answer.result).toMatchObject({
      subject: null,
      // The opening is cut so the call to action survives; the greeting runs into a lower-case "we".
      body:
        "Hey Dana, we help teams like Brightlane cut their reporting time in half with automated dashboards... " +
        "Would you have ten minutes this week for a quick call?",
      characters: 156,
      limit: 160,
      truncated: true,
      templateId: stepId,
      factsUsed: ["contact.firstName", "company.name"],
    });
    expect(answer.explanation).toBe(
      'Composed a casual SMS from template "AI content, step 1". Context used: contact.firstName = "Dana", ' +
        'company.name = "Brightlane". Cut to the 160-character limit at a word boundary. Rules applied: casual ' +
        "greeting, filler sentences removed, opening cut to keep the call to action.",
    );

    // Another organization's step and contact are not there to use.
    const problem = await expectProblem(
      await api("POST", "/api/v1/ai/content", {
        token: b.accessToken,
        body: { channel: "sms", tone: "casual", templateId: stepId, contactId: contact.id },
      }),
      422,
      "VALIDATION_FAILED",
    );
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(["body.contactId"]);
    const bContact = await insertContact(b.tenantId);
    const stepProblem = await expectProblem(
      await api("POST", "/api/v1/ai/content", {
        token: b.accessToken,
        body: { channel: "sms", tone: "casual", templateId: stepId, contactId: bContact.id },
      }),
      422,
    );
    expect(stepProblem.errors).toEqual([{ path: "body.templateId", message: "No sequence step has this id" }]);
  });

  it("422 with the field at fault: no template, both, an unknown token, an unknown deal, a bad tone", async () => {
    const contact = await insertContact(a.tenantId);
    const paths = async (body: unknown) =>
      (await expectProblem(await api("POST", "/api/v1/ai/content", { token: a.accessToken, body }), 422)).errors.map(
        (e: { path: string }) => e.path,
      );
    expect(await paths({ channel: "email", contactId: contact.id })).toEqual(["body.templateId"]);
    expect(
      await paths({ channel: "email", contactId: contact.id, templateId: "sqs_x", template: { body: "Hi" } }),
    ).toEqual(["body.templateId"]);
    expect(
      await paths({ channel: "email", contactId: contact.id, template: { body: "Hi {{contact.nickname}}" } }),
    ).toEqual(["body.template"]);
    expect(
      await paths({ channel: "email", contactId: contact.id, dealId: "deal_nope", template: { body: "Hi" } }),
    ).toEqual(["body.dealId"]);
    expect(await paths({ channel: "email", tone: "angry", contactId: contact.id, template: { body: "Hi" } })).toEqual([
      "body.tone",
    ]);
  });
});

describe("POST /api/v1/ai/content/rewrite", () => {
  it("rewrites a draft in a formal tone, listing every change", async () => {
    const draft = {
      channel: "email" as const,
      subject: "Can't make Friday",
      body: "Hey Ada,\n\nIt's been a busy week! I'm sure we'll win, don't worry. Let's talk ASAP. Thanks for the quick call.\n\nCheers,\nSam",
    };
    const answer = await ok(
      "POST",
      "/api/v1/ai/content/rewrite",
      a.accessToken,
      { text: draft.body, subject: draft.subject, operation: "rewrite", tone: "formal" },
      200,
    );
    expect(answer).toEqual(asJson(rewriteContent(draft, "formal")));
    expect(answer.result.subject).toBe("Cannot make Friday");
    expect(answer.result.body).toBe(
      "Dear Ada,\n\nIt has been a busy week. I am sure we will win, do not worry. Let us talk as soon as possible. Thank you for the brief call.\n\nYours sincerely,\nSam",
    );
    expect(answer.explanation).toBe(
      "Rewrote the email in a formal tone. Rules applied: contractions spelled out (6), formal word choice (3), formal greeting, formal sign-off, exclamation marks calmed.",
    );
  });

  it("improves and shortens", async () => {
    const improved = await ok(
      "POST",
      "/api/v1/ai/content/rewrite",
      a.accessToken,
      {
        text: "hi Ada,\n\ni was wondering if you could send the contract  .  it would help us plan!!\n\nRegards,\nSam",
        subject: "  meeting next week.",
        operation: "improve",
        tone: "friendly",
      },
      200,
    );
    expect(improved.result.subject).toBe("Meeting next week");
    expect(improved.result.body).toBe(
      "Hi Ada,\n\nCould you send the contract? It would help us plan!\n\nRegards,\nSam",
    );
    const shortened = await ok(
      "POST",
      "/api/v1/ai/content/rewrite",
      a.accessToken,
      {
        text: "Hello Ada,\n\nI hope you are doing well. I just wanted to say that I think we could really help in order to cut costs. Thank you very much for your time.\n\nThanks,\nSam",
        operation: "shorten",
      },
      200,
    );
    expect(shortened.engine).toEqual({ engine: "builtin", model: "content-shorten", version: "1" });
    expect(shortened.result.characters).toBeLessThan(150);
    expect(shortened.result.body).not.toContain("I hope you are doing well");
  });

  it("422 at body.operation and body.channel", async () => {
    const problem = await expectProblem(
      await api("POST", "/api/v1/ai/content/rewrite", {
        token: a.accessToken,
        body: { text: "Hello", operation: "expand", channel: "fax" },
      }),
      422,
    );
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(["body.channel", "body.operation"]);
  });
});

describe("scopes", () => {
  it("ai:read is offered for API keys", async () => {
    const key = await createKey(a, ["ai:read", "ai:write"]);
    const response = await api("GET", `/api/v1/api-keys/${key.id}`, { token: a.accessToken });
    expect((await json(response)).scopes).toEqual(["ai:read", "ai:write"]);
  });
});
