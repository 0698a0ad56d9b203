import { beforeAll, describe, expect, it } from "vitest";
import { leads } from "@crm/db";
import { eq } from "drizzle-orm";
import { api, createKey, expectProblem, signupTenant, type TestTenant } from "../../../test/harness";
import { addMember } from "../../../test/people";
import { dbOf, insertContact, insertLead, ok, setRecordVisibility } from "../tasks/test-support";
import { dayMs, daysAgo, insertActivity, insertOverdueTask, insertReply, insertStalledDeal } from "./test-support";

let a: TestTenant;
let b: TestTenant;
beforeAll(async () => {
  [a, b] = await Promise.all([signupTenant("Decide A"), signupTenant("Decide B")]);
});

const nba = (token: string, recordType: string, id: string) =>
  api("GET", `/api/v1/ai/next-best-action/${recordType}/${id}`, { token });

describe("GET /api/v1/ai/next-best-action/{recordType}/{id}", () => {
  it("a deal 7 days past its stage's follow-up: follow up, priority 80, with the factors that sum to it", async () => {
    const { deal, stage, call } = await insertStalledDeal(a.tenantId);
    const before = Date.now();
    const action = await ok("GET", `/api/v1/ai/next-best-action/deal/${deal.id}`, a.accessToken);
    expect(action).toMatchObject({
      recordType: "deal",
      recordId: deal.id,
      recordName: "Acme renewal",
      type: "follow_up_stalled_deal",
      priority: 80,
      confidence: 0.75,
      title: "Follow up on the stalled deal: Acme renewal",
      summary: "No touch for 12 days in Proposal Sent, which follows up after 5.",
      explanation: "No touch for 12 days in Proposal Sent, which follows up after 5. Priority 80.",
      factors: [
        { name: "Proposal Sent: follow-up due", impact: 55, value: "5 days" },
        { name: "days past the follow-up", impact: 25, value: 7 },
      ],
      alternatives: [],
      engine: { engine: "builtin", model: "next-best-action-rules", version: "1" },
    });
    // Due when the follow-up fell due: 5 days after the last call; stale 5 days from now.
    expect(action.dueAt).toBe(new Date(call.occurredAt.getTime() + 5 * dayMs).toISOString());
    const expires = Date.parse(action.expiresAt) - 5 * dayMs;
    expect(expires).toBeGreaterThanOrEqual(before);
    expect(expires).toBeLessThanOrEqual(Date.now());
    expect(action.facts).toEqual({
      lastActivityAt: call.occurredAt.toISOString(),
      lastReply: null,
      openTasks: { open: 0, overdue: 0 },
      deal: {
        status: "active",
        stage: { id: stage.id, name: "Proposal Sent", followUpDays: 5 },
        stageEnteredAt: deal.stageEnteredAt.toISOString(),
        nextActionAt: null,
      },
      score: null,
      churnRisk: null,
      sequence: null,
      doNotContact: false,
    });
  });

  it("the highest priority wins: the stalled deal (80) before its two overdue tasks (72 + 3), kept as the alternative", async () => {
    const { deal } = await insertStalledDeal(a.tenantId, "Overdue deal");
    await insertOverdueTask(a.tenantId, "deal", deal.id, daysAgo(3));
    await insertOverdueTask(a.tenantId, "deal", deal.id, daysAgo(1));
    const action = await ok("GET", `/api/v1/ai/next-best-action/deal/${deal.id}`, a.accessToken);
    expect(action).toMatchObject({
      type: "follow_up_stalled_deal",
      priority: 80,
      alternatives: [
        { action: "complete_overdue_task", title: "Complete the overdue task", priority: 75, confidence: 0.95 },
      ],
    });
    expect(action.facts.openTasks).toEqual({ open: 2, overdue: 2 });

    // Alone, an overdue task is the action, due since the task was.
    const contact = await insertContact(a.tenantId, { firstName: "Tess", lastName: "Late" });
    const due = daysAgo(3);
    await insertOverdueTask(a.tenantId, "contact", contact.id, due);
    const task = await ok("GET", `/api/v1/ai/next-best-action/contact/${contact.id}`, a.accessToken);
    expect(task).toMatchObject({
      type: "complete_overdue_task",
      priority: 72,
      title: "Complete the overdue task: Tess Late",
      explanation: "1 task is overdue. Priority 72.",
      factors: [{ name: "overdue task", impact: 72, value: 1 }],
      dueAt: due.toISOString(),
    });
  });

  it("a contact whose question has waited two days: answer it, priority 92; a later call means it was answered", async () => {
    const contact = await insertContact(a.tenantId, { firstName: "Quinn", lastName: "Asker" });
    const asked = daysAgo(2);
    await insertReply(a.tenantId, contact.id, "question", asked);
    const action = await ok("GET", `/api/v1/ai/next-best-action/contact/${contact.id}`, a.accessToken);
    expect(action).toMatchObject({
      type: "answer_question",
      priority: 92,
      confidence: 0.9,
      title: "Answer their question: Quinn Asker",
      explanation: "The contact asked a question that has no answer yet. Priority 92.",
      factors: [
        { name: "reply: question", impact: 88, value: asked.toISOString().slice(0, 10) },
        { name: "days waiting for an answer", impact: 4, value: 2 },
      ],
    });
    expect(action.facts.lastReply).toEqual({
      class: "question",
      at: asked.toISOString(),
      confidence: null,
      returnDate: null,
    });

    await insertActivity(a.tenantId, "contact", contact.id, daysAgo(1));
    const after = await ok("GET", `/api/v1/ai/next-best-action/contact/${contact.id}`, a.accessToken);
    expect([after.type, after.priority, after.explanation]).toEqual(["none", 0, "Nothing is due on this record."]);
  });

  it("a lead with nothing on it has nothing to do; a converted lead says why", async () => {
    const lead = await insertLead(a.tenantId, { firstName: "Grace", lastName: "Hopper" });
    const open = await ok("GET", `/api/v1/ai/next-best-action/lead/${lead.id}`, a.accessToken);
    expect(open).toMatchObject({
      type: "none",
      priority: 0,
      title: "Nothing to do: Grace Hopper",
      explanation: "Nothing is due on this record.",
      factors: [],
    });
    // A question from the lead's address counts as its reply.
    await insertReply(a.tenantId, null, "interested", daysAgo(0), "Grace@Example.com");
    await dbOf(a.tenantId).update(leads, { email: "grace@example.com" }, eq(leads.id, lead.id));
    const interested = await ok("GET", `/api/v1/ai/next-best-action/lead/${lead.id}`, a.accessToken);
    expect([interested.type, interested.priority]).toEqual(["follow_up_interest", 86]);

    await dbOf(a.tenantId).update(leads, { convertedAt: new Date() }, eq(leads.id, lead.id));
    const converted = await ok("GET", `/api/v1/ai/next-best-action/lead/${lead.id}`, a.accessToken);
    expect([converted.type, converted.priority, converted.explanation]).toEqual([
      "none",
      0,
      "The lead was converted: its contact and deal carry the next steps.",
    ]);
  });

  it("a lead's own score weighs in: a hot lead gone quiet is enrolled, and its reply's action rises", async () => {
    const lead = await insertLead(a.tenantId, { firstName: "Hedy", lastName: "Lamarr" });
    await insertActivity(a.tenantId, "lead", lead.id, daysAgo(8));
    await ok(
      "POST",
      `/api/v1/leads/${lead.id}/score/override`,
      a.accessToken,
      { score: 85, reason: "Met at the trade fair" },
      200,
    );
    const hot = await ok("GET", `/api/v1/ai/next-best-action/lead/${lead.id}`, a.accessToken);
    expect(hot).toMatchObject({
      type: "enroll_in_sequence",
      priority: 60,
      factors: [{ name: "score level: hot", impact: 60, value: 85 }],
      alternatives: [],
    });
    expect(hot.facts.score).toEqual({ value: 85, level: "hot" });
    expect(hot.explanation).toBe("A hot lead with no activity for 8 days and no sequence. Priority 60.");

    // The same interested reply as an unscored lead's (86) ranks higher from a hot lead.
    await dbOf(a.tenantId).update(leads, { email: "hedy@example.com" }, eq(leads.id, lead.id));
    await insertReply(a.tenantId, null, "interested", daysAgo(0), "hedy@example.com");
    const interested = await ok("GET", `/api/v1/ai/next-best-action/lead/${lead.id}`, a.accessToken);
    expect([interested.type, interested.priority]).toEqual(["follow_up_interest", 96]);
    expect(interested.factors.at(-1)).toEqual({ name: "score level: hot", impact: 10, value: 85 });

    // Another organization's lead is unscored: nothing of A's scores reaches it.
    const other = await insertLead(b.tenantId, { firstName: "Hedy", lastName: "Lamarr" });
    const unscored = await ok("GET", `/api/v1/ai/next-best-action/lead/${other.id}`, b.accessToken);
    expect([unscored.type, unscored.facts.score]).toEqual(["none", null]);
  });

  it("404 for another organization's record, an unknown id or record type, or a hidden one", async () => {
    const { deal } = await insertStalledDeal(a.tenantId, "Private deal");
    await expectProblem(await nba(b.accessToken, "deal", deal.id), 404, "NOT_FOUND");
    await expectProblem(await nba(a.accessToken, "contact", deal.id), 404, "NOT_FOUND");
    await expectProblem(await nba(a.accessToken, "deal", "deal_00000000000000000000000000"), 404, "NOT_FOUND");
    // A path naming no record type it decides for names nothing, as a malformed id does.
    await expectProblem(await nba(a.accessToken, "company", deal.id), 404, "NOT_FOUND");

    // Members see only their own deals here: the owner's deal is not theirs.
    const hidden = await signupTenant("Decide hidden");
    const member = await addMember(hidden, "member");
    await setRecordVisibility(hidden.tenantId, { member: "own" });
    const { deal: ownersDeal } = await insertStalledDeal(hidden.tenantId, "Owner's deal");
    await expectProblem(await nba(member.accessToken, "deal", ownersDeal.id), 404, "NOT_FOUND");
    expect((await ok("GET", `/api/v1/ai/next-best-action/deal/${ownersDeal.id}`, hidden.accessToken)).priority).toBe(
      80,
    );
  });

  it("API keys need ai:read; no token is 401", async () => {
    const contact = await insertContact(a.tenantId);
    const reader = await createKey(a, ["ai:read"]);
    expect((await ok("GET", `/api/v1/ai/next-best-action/contact/${contact.id}`, reader.key)).type).toBe("none");
    const other = await createKey(a, ["contacts:read"]);
    await expectProblem(await nba(other.key, "contact", contact.id), 403, "INSUFFICIENT_SCOPE");
    await expectProblem(await api("GET", `/api/v1/ai/next-best-action/contact/${contact.id}`), 401, "UNAUTHORIZED");
  });
});
