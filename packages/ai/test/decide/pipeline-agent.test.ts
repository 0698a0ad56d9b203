import { describe, expect, it } from "vitest";
import { type DealAgentInput, decideDealAction } from "../../src";
import { opportunityFound, pitchSent, sales, salesStages } from "./fixtures";

const now = "2026-03-10T12:00:00.000Z";

/** A deal in Contacted (3 follow-up days) since 1 March, last touched on 5 March. */
function input(overrides: Partial<DealAgentInput> = {}): DealAgentInput {
  return {
    now,
    deal: {
      id: "dl_1",
      name: "Acme renewal",
      status: "active",
      contactId: "ct_1",
      stageEnteredAt: "2026-03-01T12:00:00.000Z",
      nextActionAt: null,
    },
    stage: sales.contacted!,
    pipelineStages: salesStages,
    lastTouchAt: "2026-03-05T12:00:00.000Z",
    ...overrides,
  };
}

/** A reply on 9 March, after the last touch: new. */
const replied = (klass: string, extra: object = {}) =>
  input({
    lastTouchAt: "2026-03-09T08:00:00.000Z",
    lastReply: { class: klass as "interested", at: "2026-03-09T09:00:00.000Z", ...extra },
  });

describe("the pipeline agent: closed deals", () => {
  it("waits on a won, lost or paused deal", () => {
    const won = decideDealAction(input({ deal: { ...input().deal, status: "won" }, stage: sales.won! }));
    expect(won.result.type).toBe("wait");
    expect(won.result.action).toEqual({ kind: "wait", until: null });
    expect(won.result.nextCheckAt).toBeNull();
    expect(won.explanation).toBe("The deal is won, so there is nothing to do.");
    expect(won.factors).toEqual([{ name: "deal status", impact: 1, value: "won" }]);

    const paused = decideDealAction(input({ deal: { ...input().deal, status: "paused" } }));
    expect(paused.explanation).toBe("The deal is paused, so there is nothing to do.");
    // Active, but sitting in a lost stage: still closed.
    const inLost = decideDealAction(input({ stage: sales.lost! }));
    expect(inLost.explanation).toBe("The deal is lost, so there is nothing to do.");
  });
});

describe("the pipeline agent: a new reply decides first", () => {
  it("flags an unsubscribe request (stored as 'unsubscribe' or named by the classifier)", () => {
    for (const klass of ["unsubscribe", "unsubscribe_request"]) {
      const out = decideDealAction(replied(klass));
      expect(out.result.type).toBe("flag_for_review");
      expect(out.result.action).toEqual({
        kind: "flag_for_review",
        reason: "unsubscribe_request",
        suggestion: "Stop all outreach to the contact, and decide whether the deal is lost.",
        task: null,
      });
      expect(out.result.inputs.lastReplyClass).toBe("unsubscribe_request");
      expect(out.explanation).toBe("The contact asked to unsubscribe; a person decides what happens to the deal.");
    }
  });

  it("flags a bounce or automatic reply", () => {
    const out = decideDealAction(replied("bounce"));
    expect(out.result.action).toMatchObject({ kind: "flag_for_review", reason: "bounced" });
    expect(out.explanation).toBe("The last message bounced or drew an automatic reply, so no one read it.");
  });

  it("moves a confidently not-interested deal to the lost stage", () => {
    const out = decideDealAction(replied("not_interested", { confidence: 0.9 }));
    expect(out.result.type).toBe("move_stage");
    expect(out.result.action).toEqual({
      kind: "move_stage",
      fromStageId: "st_contacted",
      toStageId: "st_lost",
      toStageName: "Lost",
      lostReason: "Replied not interested",
    });
    expect(out.result.nextCheckAt).toBeNull();
    expect(out.explanation).toBe("The contact replied not interested (confidence 0.90), so the deal moves to Lost.");
  });

  it("asks a person when the not-interested reading is unsure, or there is no lost stage", () => {
    const unsure = decideDealAction(replied("not_interested", { confidence: 0.6 }));
    expect(unsure.result.action).toMatchObject({ kind: "flag_for_review", reason: "not_interested_unsure" });
    expect(unsure.explanation).toBe(
      "The reply reads as not interested, but only at confidence 0.60 (below 0.8); a person confirms.",
    );
    const noLostStage = decideDealAction({
      ...replied("not_interested"),
      pipelineStages: salesStages.filter((s) => !s.isLost),
    });
    expect(noLostStage.explanation).toBe(
      "The contact replied not interested, but the pipeline has no lost stage to move the deal to.",
    );
    // A lower bar set by the caller lets the same reply close the deal.
    const lowBar = decideDealAction(replied("not_interested", { confidence: 0.6 }), { lostConfidence: 0.5 });
    expect(lowBar.result.type).toBe("move_stage");
  });

  it("moves an interested deal to the next open stage, due for follow-up after that stage's days", () => {
    const out = decideDealAction(replied("interested"));
    expect(out.result.action).toEqual({
      kind: "move_stage",
      fromStageId: "st_contacted",
      toStageId: "st_interested",
      toStageName: "Interested",
      lostReason: null,
    });
    expect(out.result.nextCheckAt).toBe("2026-03-13T12:00:00.000Z");
    expect(out.explanation).toBe("The contact replied interested, so the deal moves from Contacted to Interested.");
  });

  it("leaves closing as won to a person when the deal is in the last open stage", () => {
    const out = decideDealAction({ ...replied("interested"), stage: sales.negotiating! });
    expect(out.result.action).toMatchObject({ kind: "flag_for_review", reason: "ready_to_close" });
    expect(out.explanation).toBe(
      "The contact replied interested in Negotiating, the last open stage; closing as won is a person's call.",
    );
  });

  it("flags questions, referrals and replies of no known class", () => {
    expect(decideDealAction(replied("question")).result.action).toMatchObject({ reason: "question" });
    expect(decideDealAction(replied("referral")).result.action).toMatchObject({ reason: "referral" });
    const other = decideDealAction(replied("other"));
    expect(other.result.action).toMatchObject({ reason: "unclassified_reply" });
    expect(other.explanation).toBe("The contact replied, but the reply fits no class the agent can act on.");
  });

  it("waits until the day after an out-of-office return date", () => {
    const out = decideDealAction(replied("out_of_office", { returnDate: "2026-03-16T00:00:00.000Z" }));
    expect(out.result.action).toEqual({ kind: "wait", until: "2026-03-17T00:00:00.000Z" });
    expect(out.result.nextCheckAt).toBe("2026-03-17T00:00:00.000Z");
    expect(out.explanation).toBe("The contact is out of office until 2026-03-16; the agent waits until the day after.");
  });

  it("waits a week from an out-of-office reply without a return date", () => {
    const out = decideDealAction(replied("out_of_office"));
    expect(out.result.action).toEqual({ kind: "wait", until: "2026-03-16T09:00:00.000Z" });
    expect(out.explanation).toBe(
      "The contact is out of office with no return date; the agent waits 7 days from the reply.",
    );
  });

  it("goes on to the stage's cadence once the absence is over", () => {
    const out = decideDealAction({
      ...input(),
      stage: pitchSent,
      lastTouchAt: "2026-03-02T08:00:00.000Z",
      lastReply: { class: "out_of_office", at: "2026-03-02T09:00:00.000Z", returnDate: "2026-03-06T00:00:00.000Z" },
    });
    expect(out.result.type).toBe("send_email");
    expect(out.result.reasoning).toEqual([
      "The contact's out-of-office period is over.",
      "Last touched 8 days ago, past Pitch Sent's 4 follow-up days.",
      "Pitch Sent sends a follow-up email when one is due: this is follow-up 1 of at most 3.",
    ]);
  });

  it("does not act twice on a reply that was already handled", () => {
    const out = decideDealAction({
      ...input(),
      lastReply: { class: "question", at: "2026-03-04T09:00:00.000Z" },
      lastTouchAt: "2026-03-05T12:00:00.000Z",
    });
    expect(out.result.inputs.replyIsNew).toBe(false);
    expect(out.result.reasoning[0]).toBe(
      "The last reply (question) was already handled: the deal moved or was touched since.",
    );
    expect(out.result.type).toBe("flag_for_review");
    expect(out.result.action).toMatchObject({ reason: "follow_up_due" });
    // A reply from before the deal entered its stage was answered by the move.
    const beforeMove = decideDealAction({
      ...input({ lastTouchAt: null }),
      lastReply: { class: "interested", at: "2026-02-27T09:00:00.000Z" },
    });
    expect(beforeMove.result.inputs.replyIsNew).toBe(false);
  });
});

describe("the pipeline agent: sequences", () => {
  it("waits while a sequence is writing to the contact", () => {
    const out = decideDealAction(
      input({ sequence: { status: "active", dueAt: "2026-03-12T09:00:00.000Z", sequenceName: "Renewal nudges" } }),
    );
    expect(out.result.action).toEqual({ kind: "wait", until: "2026-03-12T09:00:00.000Z" });
    expect(out.explanation).toBe(
      'The sequence "Renewal nudges" is active and sends the next step on 2026-03-12; the agent does not write alongside it.',
    );
    expect(out.factors[0]).toEqual({ name: "sequence", impact: 1, value: "active" });
  });

  it("flags a sequence that stopped on a bounce or an unsubscribe", () => {
    const bounced = decideDealAction(input({ sequence: { status: "exited", exitReason: "bounced" } }));
    expect(bounced.result.action).toMatchObject({ reason: "bounced" });
    expect(bounced.explanation).toBe("The sequence stopped because a message bounced.");
    const unsubscribed = decideDealAction(input({ sequence: { status: "exited", exitReason: "unsubscribed" } }));
    expect(unsubscribed.result.action).toMatchObject({ reason: "unsubscribe_request" });
    expect(unsubscribed.explanation).toBe("The sequence stopped because the contact unsubscribed.");
    const dnc = decideDealAction(input({ sequence: { status: "exited", exitReason: "do_not_contact" } }));
    expect(dnc.explanation).toBe("The sequence stopped because the contact is marked do-not-contact.");
  });

  it("moves the deal on when the sequence ended with a booked meeting", () => {
    const out = decideDealAction(input({ sequence: { status: "exited", exitReason: "meeting_booked" } }));
    expect(out.result.action).toMatchObject({ kind: "move_stage", toStageId: "st_interested" });
    expect(out.explanation).toBe("The contact booked a meeting, so the deal moves from Contacted to Interested.");
    const last = decideDealAction({
      ...input({ sequence: { status: "exited", exitReason: "meeting_booked" } }),
      stage: sales.negotiating!,
    });
    expect(last.result.action).toMatchObject({ reason: "ready_to_close" });
  });

  it("follows the stage's cadence after a sequence finished without a reply", () => {
    const out = decideDealAction(input({ sequence: { status: "completed", sequenceName: "Intro" } }));
    expect(out.result.reasoning[0]).toBe('The sequence "Intro" finished without a reply.');
    expect(out.result.action).toMatchObject({ reason: "follow_up_due" });
  });
});

describe("the pipeline agent: the stage's cadence", () => {
  it("waits until the stage's follow-up is due", () => {
    const out = decideDealAction(input({ lastTouchAt: "2026-03-09T12:00:00.000Z" }));
    expect(out.result.action).toEqual({ kind: "wait", until: "2026-03-12T12:00:00.000Z" });
    expect(out.result.nextCheckAt).toBe("2026-03-12T12:00:00.000Z");
    expect(out.explanation).toBe(
      "Last touched 1 day ago; Contacted follows up after 3 days, so the next step is due on 2026-03-12.",
    );
  });

  it("keeps to a planned next action date, even when the stage's follow-up is overdue", () => {
    const out = decideDealAction(input({ deal: { ...input().deal, nextActionAt: "2026-03-12T08:00:00.000Z" } }));
    expect(out.result.inputs.daysSinceTouch).toBe(5);
    expect(out.result.action).toEqual({ kind: "wait", until: "2026-03-12T08:00:00.000Z" });
    expect(out.explanation).toBe("The deal's next action is planned for 2026-03-12; the agent waits for it.");
    expect(out.factors[0]).toEqual({ name: "next action date", impact: 1, value: "2026-03-12" });
  });

  it("waits with no date when neither the stage nor the deal sets one", () => {
    const out = decideDealAction(input({ stage: opportunityFound, pipelineStages: [opportunityFound] }));
    expect(out.result.action).toEqual({ kind: "wait", until: null });
    expect(out.explanation).toBe(
      "Opportunity Found has no follow-up days and the deal no next action date, so nothing is due; the daily review lists it if it stalls.",
    );
  });

  it("sends the stage's follow-up email when one is due, and notes auto-actions it does not know", () => {
    const out = decideDealAction(
      input({
        stage: { ...pitchSent, autoActions: ["notify_slack", "send_follow_up_email"] },
        followUpsSentInStage: 1,
        score: { value: 64, level: "warm" },
      }),
    );
    expect(out.result).toEqual({
      dealId: "dl_1",
      type: "send_email",
      action: { kind: "send_email", contactId: "ct_1", template: "follow_up", followUpNumber: 2 },
      reasoning: [
        "Last touched 5 days ago, past Pitch Sent's 4 follow-up days.",
        "Auto-actions the agent does not know are left alone: notify_slack.",
        "Pitch Sent sends a follow-up email when one is due: this is follow-up 2 of at most 3.",
      ],
      inputs: {
        stage: "Pitch Sent",
        followUpDays: 4,
        autoActions: ["notify_slack", "send_follow_up_email"],
        ignoredAutoActions: ["notify_slack"],
        daysInStage: 9,
        daysSinceTouch: 5,
        nextActionAt: null,
        lastReplyClass: null,
        lastReplyAt: null,
        replyIsNew: false,
        sequenceStatus: null,
        score: 64,
        scoreLevel: "warm",
        followUpsSentInStage: 1,
        doNotContact: false,
      },
      nextCheckAt: "2026-03-14T12:00:00.000Z",
    });
    expect(out.factors).toEqual([
      { name: "stage auto-action", impact: 1, value: "send_follow_up_email" },
      { name: "days since last touch", impact: 1, value: 5 },
      { name: "score", impact: 0, value: "64 (warm)" },
    ]);
    expect(out.engine).toEqual({ engine: "builtin", model: "pipeline-agent-rules", version: "1" });
  });

  it("acts when the deal's next action date has come, even before the stage's follow-up", () => {
    const out = decideDealAction(
      input({
        stage: pitchSent,
        lastTouchAt: "2026-03-09T12:00:00.000Z",
        deal: { ...input().deal, nextActionAt: "2026-03-10T09:00:00.000Z" },
      }),
    );
    expect(out.result.type).toBe("send_email");
    expect(out.result.reasoning[0]).toBe("The deal's next action date (2026-03-10) has come.");
  });

  it("stops emailing after the most follow-ups a stage allows", () => {
    const out = decideDealAction(input({ stage: pitchSent, followUpsSentInStage: 3 }));
    expect(out.result.action).toMatchObject({ reason: "no_reply_after_follow_ups" });
    expect(out.explanation).toBe("3 follow-ups in Pitch Sent drew no reply; more email will not help.");
    expect(
      decideDealAction(input({ stage: pitchSent, followUpsSentInStage: 1 }), { maxFollowUps: 1 }).result.type,
    ).toBe("flag_for_review");
  });

  it("does not spend a follow-up on an inactive contact", () => {
    const out = decideDealAction(input({ stage: pitchSent, score: { value: 8, level: "inactive" } }));
    expect(out.result.action).toMatchObject({ reason: "inactive_contact" });
    expect(out.explanation).toBe("The contact's score is 8 (inactive); a follow-up would likely go unread.");
  });

  it("never emails a do-not-contact contact", () => {
    const out = decideDealAction(input({ stage: pitchSent, doNotContact: true }));
    expect(out.result.action).toMatchObject({ reason: "do_not_contact" });
    expect(out.explanation).toBe("Pitch Sent sends a follow-up email, but the contact is marked do-not-contact.");
  });

  it("creates a follow-up task where the stage asks for one", () => {
    const out = decideDealAction(input({ stage: sales.proposal!, lastTouchAt: "2026-03-03T12:00:00.000Z" }));
    expect(out.result.action).toEqual({
      kind: "flag_for_review",
      reason: "follow_up_task",
      suggestion: "Follow up on Acme renewal.",
      task: { title: "Follow up: Acme renewal", dueAt: now },
    });
    expect(out.explanation).toBe("Proposal Sent asks a person to follow up, so the agent creates a follow-up task.");
  });

  it("asks a person to follow up where the stage has no automatic action", () => {
    const out = decideDealAction(input());
    expect(out.result.action).toEqual({
      kind: "flag_for_review",
      reason: "follow_up_due",
      suggestion: "Follow up on Acme renewal.",
      task: null,
    });
    expect(out.result.reasoning).toEqual([
      "Last touched 5 days ago, past Contacted's 3 follow-up days.",
      "Contacted has no automatic action, so a person follows up.",
    ]);
  });
});
