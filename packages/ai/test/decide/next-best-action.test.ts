import { describe, expect, it } from "vitest";
import { type RecordFacts, nextBestAction } from "../../src";
import { sales } from "./fixtures";

const now = "2026-03-10T12:00:00.000Z";

describe("next best action", () => {
  it("answers an open question first, with its waiting time and the score in the priority", () => {
    const facts: RecordFacts = {
      recordType: "lead",
      recordId: "ld_1",
      lastActivityAt: "2026-03-08T12:00:00.000Z",
      lastReply: { class: "question", at: "2026-03-08T12:00:00.000Z", confidence: 0.8 },
      openTasks: { open: 3, overdue: 2 },
      score: { value: 62, level: "warm" },
    };
    const out = nextBestAction(facts, now);
    expect(out.result).toEqual({
      recordType: "lead",
      recordId: "ld_1",
      action: "answer_question",
      priority: 97,
      confidence: 0.72,
      expiresAt: "2026-03-12T12:00:00.000Z",
      alternatives: [{ action: "complete_overdue_task", priority: 80, confidence: 0.95 }],
    });
    expect(out.explanation).toBe("The contact asked a question that has no answer yet. Priority 97.");
    expect(out.factors).toEqual([
      { name: "reply: question", impact: 88, value: "2026-03-08" },
      { name: "score level: warm", impact: 5, value: 62 },
      { name: "days waiting for an answer", impact: 4, value: 2 },
    ]);
    expect(out.engine).toEqual({ engine: "builtin", model: "next-best-action-rules", version: "1" });
  });

  it("puts an unsubscribe first and suggests no outreach to a do-not-contact record", () => {
    const out = nextBestAction(
      {
        recordType: "contact",
        recordId: "ct_1",
        doNotContact: true,
        lastReply: { class: "unsubscribe", at: "2026-03-10T09:00:00.000Z" },
        churnRisk: { level: "high" },
        score: { value: 90, level: "hot" },
      },
      now,
    );
    expect(out.result.action).toBe("respect_opt_out");
    expect(out.result.priority).toBe(95);
    expect(out.result.confidence).toBe(0.95);
    expect(out.result.expiresAt).toBe("2026-03-11T12:00:00.000Z");
    expect(out.result.alternatives).toEqual([]);
    expect(out.explanation).toBe(
      "The contact asked to unsubscribe: mark them do-not-contact and stop outreach. Priority 95. Not suggested (save_customer): the record is do-not-contact. Not suggested (enroll_in_sequence): the record is do-not-contact.",
    );
    expect(out.factors).toEqual([{ name: "reply: unsubscribe_request", impact: 95, value: "2026-03-10" }]);
  });

  const dealFacts: RecordFacts = {
    recordType: "deal",
    recordId: "dl_1",
    lastActivityAt: "2026-03-02T12:00:00.000Z",
    deal: {
      status: "active",
      stage: sales.contacted!,
      stageEnteredAt: "2026-03-01T12:00:00.000Z",
      nextActionAt: "2026-03-07T12:00:00.000Z",
    },
    score: { value: 30, level: "cold" },
  };

  it("weighs an overdue follow-up against a missed next action date on a deal", () => {
    const out = nextBestAction(dealFacts, now);
    expect(out.result.action).toBe("follow_up_stalled_deal");
    expect(out.result.priority).toBe(80);
    expect(out.result.confidence).toBe(0.75);
    expect(out.result.expiresAt).toBe("2026-03-13T12:00:00.000Z");
    expect(out.result.alternatives).toEqual([{ action: "handle_due_action", priority: 76, confidence: 0.9 }]);
    expect(out.explanation).toBe("No touch for 8 days in Contacted, which follows up after 3. Priority 80.");
    expect(out.factors).toEqual([
      { name: "Contacted: follow-up due", impact: 55, value: "3 days" },
      { name: "days past the follow-up", impact: 25, value: 5 },
    ]);
  });

  it("leaves the follow-up to an active sequence", () => {
    const out = nextBestAction({ ...dealFacts, sequence: { status: "active" } }, now);
    expect(out.result.action).toBe("handle_due_action");
    expect(out.result.priority).toBe(76);
    expect(out.explanation).toBe(
      "The deal's next action was due on 2026-03-07. Priority 76. Not suggested (follow_up_stalled_deal): an active sequence already follows up.",
    );
  });

  it("does not chase a follow-up when the next action is planned for later", () => {
    const out = nextBestAction(
      { ...dealFacts, deal: { ...dealFacts.deal!, nextActionAt: "2026-03-12T12:00:00.000Z" } },
      now,
    );
    expect(out.result.action).toBe("none");
  });

  it("suggests nothing on a closed deal", () => {
    const out = nextBestAction({ ...dealFacts, deal: { ...dealFacts.deal!, status: "won", stage: sales.won! } }, now);
    expect(out.result.action).toBe("none");
  });

  it("enrols a hot lead nobody has contacted in a sequence", () => {
    const out = nextBestAction({ recordType: "lead", recordId: "ld_2", score: { value: 85, level: "hot" } }, now);
    expect(out.result).toMatchObject({ action: "enroll_in_sequence", priority: 60, confidence: 0.7 });
    expect(out.result.expiresAt).toBe("2026-03-17T12:00:00.000Z");
    expect(out.explanation).toBe("A hot lead with no activity yet and no sequence. Priority 60.");
    // A warm lead waits 14 quiet days before the same suggestion.
    const warm = { recordType: "lead" as const, recordId: "ld_3", score: { value: 55, level: "warm" as const } };
    expect(nextBestAction({ ...warm, lastActivityAt: "2026-03-01T12:00:00.000Z" }, now).result.action).toBe("none");
    expect(nextBestAction({ ...warm, lastActivityAt: "2026-02-24T12:00:00.000Z" }, now).result).toMatchObject({
      action: "enroll_in_sequence",
      priority: 45,
    });
  });

  it("re-engages a record quiet for 30 days or more", () => {
    const out = nextBestAction(
      {
        recordType: "contact",
        recordId: "ct_2",
        lastActivityAt: "2026-01-24T12:00:00.000Z",
        score: { value: 25, level: "cold" },
      },
      now,
    );
    expect(out.result).toMatchObject({ action: "re_engage", priority: 40, confidence: 0.5 });
    expect(out.result.expiresAt).toBe("2026-03-24T12:00:00.000Z");
    expect(out.explanation).toBe("Nothing has happened for 45 days. Priority 40.");
    expect(out.factors).toEqual([
      { name: "no activity for 30+ days", impact: 35, value: 45 },
      { name: "more days without activity", impact: 5, value: 15 },
    ]);
  });

  it("answers 'none' when nothing is due", () => {
    const out = nextBestAction(
      { recordType: "lead", recordId: "ld_4", lastActivityAt: "2026-03-08T12:00:00.000Z" },
      now,
    );
    expect(out.result).toEqual({
      recordType: "lead",
      recordId: "ld_4",
      action: "none",
      priority: 0,
      confidence: 1,
      expiresAt: "2026-03-11T12:00:00.000Z",
      alternatives: [],
    });
    expect(out.explanation).toBe("Nothing is due on this record.");
    expect(out.factors).toEqual([]);
  });

  it("waits for a contact who is out of office, until the return date", () => {
    const away = (returnDate: string) =>
      nextBestAction(
        {
          recordType: "contact",
          recordId: "ct_3",
          lastActivityAt: "2026-03-09T08:00:00.000Z",
          lastReply: { class: "out_of_office", at: "2026-03-09T09:00:00.000Z", returnDate },
          score: { value: 60, level: "warm" },
        },
        now,
      );
    const out = away("2026-03-15T00:00:00.000Z");
    expect(out.result).toMatchObject({ action: "wait_for_return", priority: 20, confidence: 0.8 });
    expect(out.result.expiresAt).toBe("2026-03-15T12:00:00.000Z");
    expect(out.explanation).toBe("The contact is out of office until 2026-03-15: wait. Priority 20.");
    expect(away("2026-03-05T00:00:00.000Z").result.action).toBe("none");
  });

  it("reaches out to a customer at critical churn risk, with the model's probability as confidence", () => {
    const out = nextBestAction(
      {
        recordType: "contact",
        recordId: "ct_4",
        lastActivityAt: "2026-03-05T12:00:00.000Z",
        churnRisk: { level: "critical", probability: 0.91 },
        score: { value: 35, level: "nurture" },
      },
      now,
    );
    expect(out.result).toMatchObject({ action: "save_customer", priority: 85, confidence: 0.91 });
    expect(out.explanation).toBe("Churn risk is critical: reach out to keep the customer. Priority 85.");
    const medium = nextBestAction({ recordType: "contact", recordId: "ct_5", churnRisk: { level: "medium" } }, now);
    expect(medium.result).toMatchObject({ action: "save_customer", priority: 50, confidence: 0.5 });
    expect(
      nextBestAction({ recordType: "contact", recordId: "ct_6", churnRisk: { level: "low" } }, now).result.action,
    ).toBe("none");
  });

  it("closes a deal or stops outreach to a contact after a not-interested reply", () => {
    const reply = { class: "not_interested" as const, at: "2026-03-09T12:00:00.000Z" };
    const deal = nextBestAction({ recordType: "deal", recordId: "dl_2", lastReply: reply }, now);
    expect(deal.result).toMatchObject({ action: "close_lost", priority: 55, confidence: 0.8 });
    expect(deal.explanation).toBe("The contact replied not interested: close the deal as lost. Priority 55.");
    const contact = nextBestAction({ recordType: "contact", recordId: "ct_7", lastReply: reply }, now);
    expect(contact.result.action).toBe("stop_outreach");
    expect(contact.explanation).toBe("The contact replied not interested: stop outreach. Priority 55.");
  });

  it("suggests resuming a sequence paused for a week or more", () => {
    const paused = (pausedAt: string) =>
      nextBestAction(
        {
          recordType: "contact",
          recordId: "ct_8",
          lastActivityAt: "2026-03-09T12:00:00.000Z",
          sequence: { status: "paused", pausedAt, sequenceName: "Onboarding" },
        },
        now,
      );
    const out = paused("2026-03-01T12:00:00.000Z");
    expect(out.result).toMatchObject({ action: "resume_sequence", priority: 40, confidence: 0.6 });
    expect(out.explanation).toBe(
      'The sequence "Onboarding" has been paused for 9 days: resume or end it. Priority 40.',
    );
    expect(paused("2026-03-05T12:00:00.000Z").result.action).toBe("none");
  });

  it("ignores a reply something already happened after", () => {
    const out = nextBestAction(
      {
        recordType: "contact",
        recordId: "ct_9",
        lastActivityAt: "2026-03-06T12:00:00.000Z",
        lastReply: { class: "question", at: "2026-03-05T12:00:00.000Z" },
      },
      now,
    );
    expect(out.result.action).toBe("none");
  });

  it("follows up on interest, and passes a referral on", () => {
    const interested = nextBestAction(
      { recordType: "lead", recordId: "ld_5", lastReply: { class: "interested", at: "2026-03-10T08:00:00.000Z" } },
      now,
    );
    expect(interested.result).toMatchObject({ action: "follow_up_interest", priority: 86, confidence: 0.9 });
    const referral = nextBestAction(
      { recordType: "lead", recordId: "ld_6", lastReply: { class: "referral", at: "2026-03-07T08:00:00.000Z" } },
      now,
    );
    expect(referral.result).toMatchObject({ action: "contact_referral", priority: 75, confidence: 0.85 });
    const bounce = nextBestAction(
      {
        recordType: "lead",
        recordId: "ld_7",
        lastReply: { class: "bounce_auto_reply", at: "2026-03-07T08:00:00.000Z" },
      },
      now,
    );
    expect(bounce.result).toMatchObject({ action: "fix_email_address", priority: 62 });
    const other = nextBestAction({ recordType: "lead", recordId: "ld_8", lastReply: { class: "other", at: now } }, now);
    expect(other.result).toMatchObject({ action: "read_reply", priority: 65, confidence: 0.6 });
  });
});
