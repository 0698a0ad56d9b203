import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { aiAgentDecisions, deals, inboundEmails, newId } from "@crm/db";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { api, createKey, expectProblem, signupTenant, type TestTenant, uniqueEmail } from "../../../test/harness";
import { outboxFor } from "../../../test/outreach";
import { addMember, userIdOf } from "../../../test/people";
import { eventually } from "../../../test/webhooks";
import { hourlyCron } from "../../cron";
import worker from "../../worker";
import { dbOf, ok } from "../tasks/test-support";

// The pipeline agent end to end on a seeded pipeline: deals in different states (a reply
// interested, a follow-up due, no reply after three follow-ups, an unsubscribe, not due),
// decided first in suggest mode (logged, nothing changed), then in act mode (carried out).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Decision = Record<string, any>;

const dayMs = 86_400_000;
const hourMs = 3_600_000;

interface Seeded {
  id: string;
  contactId: string;
  contactEmail: string;
  name: string;
}

let a: TestTenant;
let b: TestTenant;
let aOwnerId: string;
let stages: Record<"Prospect" | "Qualified" | "Won" | "Lost", string>;
let interested: Seeded;
let followUp: Seeded;
let exhausted: Seeded;
let unsubscribed: Seeded;
let notDue: Seeded;
let bDeal: Seeded;

async function setMode(owner: TestTenant, mode: "off" | "suggest" | "act") {
  const settings = await ok("PATCH", "/api/v1/ai/settings", owner.accessToken, { agent: { mode } });
  expect(settings.agent).toEqual({ mode });
}

async function pipelineOf(owner: TestTenant) {
  const made = await ok(
    "POST",
    "/api/v1/pipelines",
    owner.accessToken,
    {
      name: "Agent pipeline",
      stages: [
        { name: "Prospect", probability: 10, followUpDays: 3, autoActions: ["send_follow_up_email"] },
        { name: "Qualified", probability: 40, followUpDays: 5 },
        { name: "Won", isWon: true },
        { name: "Lost", isLost: true },
      ],
    },
    201,
  );
  return {
    pipelineId: made.id as string,
    stages: Object.fromEntries(made.stages.map((s: { name: string; id: string }) => [s.name, s.id])) as typeof stages,
  };
}

/** A contact and a deal in Prospect, entered `enteredDaysAgo`, next action at `nextActionAt`. */
async function seedDeal(
  owner: TestTenant,
  pipeline: { pipelineId: string; stages: typeof stages },
  name: string,
  enteredDaysAgo: number,
  nextActionAt: Date,
): Promise<Seeded> {
  const contactEmail = uniqueEmail(name.toLowerCase().replace(/\W+/g, "-"));
  const contact = await ok(
    "POST",
    "/api/v1/contacts",
    owner.accessToken,
    { firstName: name.split(" ")[0], emails: [{ address: contactEmail, primary: true }] },
    201,
  );
  const deal = await ok(
    "POST",
    "/api/v1/deals",
    owner.accessToken,
    { name, pipelineId: pipeline.pipelineId, stageId: pipeline.stages.Prospect, contactId: contact.id, value: 5000 },
    201,
  );
  const entered = new Date(Date.now() - enteredDaysAgo * dayMs);
  await env.DB.batch([
    env.DB.prepare("update deals set stage_entered_at = ?1, next_action_at = ?2 where id = ?3").bind(
      entered.getTime(),
      nextActionAt.getTime(),
      deal.id,
    ),
    env.DB.prepare("update deal_stage_history set entered_at = ?1 where deal_id = ?2").bind(entered.getTime(), deal.id),
  ]);
  return { id: deal.id, contactId: contact.id, contactEmail, name };
}

async function seedReply(tenantId: string, contactId: string, classification: "interested" | "unsubscribe", at: Date) {
  await dbOf(tenantId).insert(inboundEmails, {
    id: newId("inboundEmail"),
    contactId,
    fromAddress: "someone@example.com",
    toAddress: "reply@crm.test",
    subject: "Re: hello",
    text: classification === "interested" ? "Yes, tell me more" : "Please remove me from your list",
    messageIdHeader: `${crypto.randomUUID()}@example.com`,
    classification,
    classificationReason: "seeded",
    receivedAt: at,
  });
}

async function dealRow(tenantId: string, id: string) {
  return (await dbOf(tenantId).findFirst(deals, eq(deals.id, id)))!;
}

async function tasksFor(owner: TestTenant, dealId: string) {
  return (await ok("GET", `/api/v1/tasks?recordType=deal&recordId=${dealId}&limit=50`, owner.accessToken)).data as {
    title: string;
    assigneeId: string | null;
    description: string;
  }[];
}

async function notificationsOf(owner: TestTenant) {
  return (await ok("GET", "/api/v1/notifications?limit=100", owner.accessToken)).data as {
    message: string;
    recordId: string | null;
  }[];
}

beforeAll(async () => {
  [a, b] = await Promise.all([signupTenant("Agent A"), signupTenant("Agent B")]);
  aOwnerId = await userIdOf(a);
  const pipeline = await pipelineOf(a);
  stages = pipeline.stages;
  const due = new Date(Date.now() - hourMs);
  interested = await seedDeal(a, pipeline, "Ivy Interested", 5, due);
  followUp = await seedDeal(a, pipeline, "Fay Follow-up", 10, due);
  exhausted = await seedDeal(a, pipeline, "Nora No-reply", 20, due);
  unsubscribed = await seedDeal(a, pipeline, "Uma Unsubscribe", 8, due);
  notDue = await seedDeal(a, pipeline, "Otto Later", 2, new Date(Date.now() + 2 * dayMs));
  await seedReply(a.tenantId, interested.contactId, "interested", new Date(Date.now() - 2 * hourMs));
  await seedReply(a.tenantId, unsubscribed.contactId, "unsubscribe", new Date(Date.now() - 3 * hourMs));
  // Three follow-ups the agent already sent in the stage, with no reply since.
  const db = dbOf(a.tenantId);
  for (const daysAgo of [15, 10, 5]) {
    await db.insert(aiAgentDecisions, {
      id: newId("aiAgentDecision"),
      dealId: exhausted.id,
      runId: newId("aiAgentRun"),
      type: "send_email",
      action: { kind: "send_email", followUpNumber: 1 },
      explanation: "seeded",
      reasoning: ["seeded"],
      factors: [],
      inputs: {},
      engine: "builtin",
      model: "pipeline-agent-rules",
      modelVersion: "1",
      mode: "act",
      outcome: "applied",
      outcomeDetail: "seeded",
      triggeredBy: "cron",
      createdAt: new Date(Date.now() - daysAgo * dayMs),
    });
  }
  // Tenant B: a due deal of its own, the agent in act mode.
  bDeal = await seedDeal(b, await pipelineOf(b), "Bea Other", 10, due);
  await ok(
    "POST",
    "/api/v1/mailboxes",
    b.accessToken,
    { name: "B", fromAddress: "b@sender.test", transport: "dev_outbox" },
    201,
  );
});

describe("AI settings: the agent's mode", () => {
  it("is off for a new organization, changes by PATCH (admins), and 422s an unknown mode at body.agent.mode", async () => {
    expect((await ok("GET", "/api/v1/ai/settings", a.accessToken)).agent).toEqual({ mode: "off" });
    const bad = await expectProblem(
      await api("PATCH", "/api/v1/ai/settings", { token: a.accessToken, body: { agent: { mode: "sometimes" } } }),
      422,
      "VALIDATION_FAILED",
    );
    expect(bad.errors.map((e: { path: string }) => e.path)).toEqual(["body.agent.mode"]);
    const member = await addMember(a, "member");
    await expectProblem(
      await api("PATCH", "/api/v1/ai/settings", { token: member.accessToken, body: { agent: { mode: "act" } } }),
      403,
      "FORBIDDEN",
    );
    // Off: running is refused, and nothing is logged.
    const refused = await expectProblem(
      await api("POST", "/api/v1/ai/agent/run", { token: a.accessToken, body: {} }),
      409,
      "CONFLICT",
    );
    expect(refused.detail).toContain("The pipeline agent is off");
    // Only the three follow-ups seeded for Nora's deal are in the log.
    const log = await ok("GET", "/api/v1/ai/agent/decisions", a.accessToken);
    expect(log.data.map((d: Decision) => [d.dealId, d.outcomeDetail])).toEqual([
      [exhausted.id, "seeded"],
      [exhausted.id, "seeded"],
      [exhausted.id, "seeded"],
    ]);
  });
});

describe("POST /api/v1/ai/agent/run", () => {
  it("suggest mode: logs a decision per due deal and changes nothing", async () => {
    await setMode(a, "suggest");
    const before = await Promise.all(
      [interested, followUp, exhausted, unsubscribed].map((d) => dealRow(a.tenantId, d.id)),
    );
    const run = await ok("POST", "/api/v1/ai/agent/run", a.accessToken, {}, 200);
    expect(run.mode).toBe("suggest");
    const byDeal = new Map(run.decisions.map((d: { dealId: string }) => [d.dealId, d]));
    expect(run.decisions).toHaveLength(4);
    expect(byDeal.has(notDue.id)).toBe(false);
    expect(byDeal.has(bDeal.id)).toBe(false);
    expect(
      [interested, followUp, exhausted, unsubscribed].map((d) => {
        const decision = byDeal.get(d.id) as {
          type: string;
          outcome: string;
          action: { kind: string; reason?: string };
        };
        return [d.name, decision.type, decision.outcome, decision.action.reason ?? null];
      }),
    ).toEqual([
      ["Ivy Interested", "move_stage", "suggested", null],
      ["Fay Follow-up", "send_email", "suggested", null],
      ["Nora No-reply", "flag_for_review", "suggested", "no_reply_after_follow_ups"],
      ["Uma Unsubscribe", "flag_for_review", "suggested", "unsubscribe_request"],
    ]);
    const move = byDeal.get(interested.id) as Decision;
    expect(move.action).toEqual({
      kind: "move_stage",
      fromStageId: stages.Prospect,
      toStageId: stages.Qualified,
      toStageName: "Qualified",
      lostReason: null,
    });
    expect(move.explanation).toBe("The contact replied interested, so the deal moves from Prospect to Qualified.");
    expect(move.outcomeDetail).toBe("Suggested only: Move Ivy Interested to Qualified.");
    expect(move.engine).toEqual({ engine: "builtin", model: "pipeline-agent-rules", version: "1" });
    expect(move.inputs).toMatchObject({ stage: "Prospect", lastReplyClass: "interested", replyIsNew: true });
    expect(move.factors[0]).toEqual({ name: "last reply", impact: 1, value: "interested" });
    expect(move.triggeredBy).toBe(aOwnerId);

    // Nothing changed: stages, next action dates, no email, no task.
    const after = await Promise.all(
      [interested, followUp, exhausted, unsubscribed].map((d) => dealRow(a.tenantId, d.id)),
    );
    expect(after.map((d) => [d.stageId, d.nextActionAt?.getTime(), d.updatedAt.getTime()])).toEqual(
      before.map((d) => [d.stageId, d.nextActionAt?.getTime(), d.updatedAt.getTime()]),
    );
    expect(await outboxFor(followUp.contactEmail)).toEqual([]);
    expect(await tasksFor(a, exhausted.id)).toEqual([]);
  });

  it("act mode: moves, emails through the mailbox, creates review tasks with notifications; not-due deals untouched", async () => {
    await setMode(a, "act");
    // Without a mailbox the follow-up is skipped with its reason; the other decisions are carried out.
    const first = await ok("POST", "/api/v1/ai/agent/run", a.accessToken, { dealId: followUp.id }, 200);
    expect(first.decisions.map((d: Record<string, unknown>) => [d.type, d.outcome, d.outcomeDetail])).toEqual([
      ["send_email", "skipped", "The organization has no mailbox to send from; add one under Settings, Mailboxes."],
    ]);
    expect((await dealRow(a.tenantId, followUp.id)).nextActionAt!.getTime()).toBeLessThan(Date.now());

    await ok(
      "POST",
      "/api/v1/mailboxes",
      a.accessToken,
      {
        name: "Sales",
        fromAddress: "sales@vendor.test",
        fromName: "Sam Seller",
        transport: "dev_outbox",
      },
      201,
    );
    const run = await ok("POST", "/api/v1/ai/agent/run", a.accessToken, {}, 200);
    expect(run.mode).toBe("act");
    const byDeal = new Map<string, Decision>(run.decisions.map((d: { dealId: string }) => [d.dealId, d]));
    expect(run.decisions).toHaveLength(4);
    expect(byDeal.has(notDue.id) || byDeal.has(bDeal.id)).toBe(false);

    // Replied interested: moved to Qualified, with stage history and an audit entry by the agent.
    expect(byDeal.get(interested.id)!.outcome).toBe("applied");
    expect(byDeal.get(interested.id)!.outcomeDetail).toBe("Moved from Prospect to Qualified.");
    const moved = await ok("GET", `/api/v1/deals/${interested.id}`, a.accessToken);
    expect(moved.stageId).toBe(stages.Qualified);
    expect(moved.probability).toBe(40);
    expect(Date.parse(moved.nextActionAt) - Date.parse(moved.stageEnteredAt)).toBe(5 * dayMs);
    const history = await ok("GET", `/api/v1/deals/${interested.id}/stage-history`, a.accessToken);
    expect(history.data.map((h: { stageName: string; changedBy: string }) => [h.stageName, h.changedBy])).toEqual([
      ["Prospect", aOwnerId],
      ["Qualified", "ai-agent"],
    ]);
    const audit = await ok("GET", `/api/v1/audit-log?entity=deal&entityId=${interested.id}`, a.accessToken);
    expect(audit.data.filter((e: { actorId: string }) => e.actorId === "ai-agent").length).toBeGreaterThanOrEqual(1);

    // Follow-up due: an email through the mailbox, the next follow-up 3 days on.
    const fay = byDeal.get(followUp.id)!;
    expect([fay.type, fay.outcome]).toEqual(["send_email", "applied"]);
    expect(fay.outcomeDetail).toMatch(
      new RegExp(
        `^Sent "Following up on Fay Follow-up" to ${followUp.contactEmail.replace(/[.+]/g, "\\$&")} \\(message om_[0-9a-z]+\\)\\.$`,
      ),
    );
    const mail = await outboxFor(followUp.contactEmail);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe("Following up on Fay Follow-up");
    expect(mail[0]!.text).toContain("Hello Fay,");
    expect(mail[0]!.text).toContain("I wanted to follow up on Fay Follow-up.");
    expect(mail[0]!.text).toContain("Sam Seller");
    const fayDeal = await dealRow(a.tenantId, followUp.id);
    expect(fayDeal.nextActionAt!.getTime()).toBe(Date.parse(run.at) + 3 * dayMs);
    expect(fayDeal.stageId).toBe(stages.Prospect);

    // No reply after three follow-ups, and the unsubscribe: a task for the owner and a notification each.
    for (const [deal, reason] of [
      [exhausted, "no_reply_after_follow_ups"],
      [unsubscribed, "unsubscribe_request"],
    ] as const) {
      const decision = byDeal.get(deal.id)!;
      expect([decision.type, decision.action.reason, decision.outcome]).toEqual(["flag_for_review", reason, "applied"]);
      expect(decision.outcomeDetail).toBe(`Task "Review ${deal.name}" created for the deal's owner, who was notified.`);
      const tasks = await tasksFor(a, deal.id);
      expect(tasks.map((t) => [t.title, t.assigneeId])).toEqual([[`Review ${deal.name}`, aOwnerId]]);
      expect(tasks[0]!.description).toBe(`${decision.action.suggestion}\n\nWhy: ${decision.explanation}`);
      expect((await dealRow(a.tenantId, deal.id)).nextActionAt).toBeNull();
    }
    const notes = (await notificationsOf(a)).filter(
      (n) => n.recordId === exhausted.id || n.recordId === unsubscribed.id,
    );
    expect(notes.map((n) => n.message).sort()).toEqual([
      "The AI agent flagged Nora No-reply for review: Call the contact, or close the deal as lost.",
      "The AI agent flagged Uma Unsubscribe for review: Stop all outreach to the contact, and decide whether the deal is lost.",
    ]);

    // Not due: untouched. Tenant B's due deal: untouched, no email.
    const later = await dealRow(a.tenantId, notDue.id);
    expect(later.stageId).toBe(stages.Prospect);
    expect(later.nextActionAt!.getTime()).toBeGreaterThan(Date.now() + dayMs);
    expect((await dealRow(b.tenantId, bDeal.id)).nextActionAt!.getTime()).toBeLessThan(Date.now());
    expect(await outboxFor(bDeal.contactEmail)).toEqual([]);
  });

  it("decides one named deal even when it is not due; 404 for another tenant's deal; members and read keys are refused", async () => {
    const run = await ok("POST", "/api/v1/ai/agent/run", a.accessToken, { dealId: notDue.id }, 200);
    expect(run.decisions).toHaveLength(1);
    expect(run.decisions[0].type).toBe("wait");
    expect(run.decisions[0].explanation).toBe(
      `The deal's next action is planned for ${new Date((await dealRow(a.tenantId, notDue.id)).nextActionAt!).toISOString().slice(0, 10)}; the agent waits for it.`,
    );
    await expectProblem(
      await api("POST", "/api/v1/ai/agent/run", { token: a.accessToken, body: { dealId: bDeal.id } }),
      404,
      "NOT_FOUND",
    );
    const badId = await expectProblem(
      await api("POST", "/api/v1/ai/agent/run", { token: a.accessToken, body: { dealId: "nope" } }),
      422,
      "VALIDATION_FAILED",
    );
    expect(badId.errors.map((e: { path: string }) => e.path)).toEqual(["body.dealId"]);
    const member = await addMember(a, "member");
    await expectProblem(
      await api("POST", "/api/v1/ai/agent/run", { token: member.accessToken, body: {} }),
      403,
      "FORBIDDEN",
    );
    const reader = await createKey(a, ["ai:read"]);
    await expectProblem(
      await api("POST", "/api/v1/ai/agent/run", { token: reader.key, body: {} }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    const writer = await createKey(a, ["ai:write"]);
    expect((await ok("POST", "/api/v1/ai/agent/run", writer.key, { dealId: notDue.id }, 200)).decisions).toHaveLength(
      1,
    );
  });
});

describe("GET /api/v1/ai/agent/decisions", () => {
  it("lists newest first with filters and pages; one decision by id; another tenant sees none (404)", async () => {
    const all = await ok("GET", "/api/v1/ai/agent/decisions?limit=200", a.accessToken);
    // 3 seeded + 4 suggested + 1 skipped + 4 applied + 2 waits for the named deal.
    expect(all.data).toHaveLength(14);
    const ids = all.data.map((d: { id: string }) => d.id);
    expect([...ids].sort().reverse()).toEqual(ids);
    const suggested = await ok("GET", "/api/v1/ai/agent/decisions?outcome=suggested&limit=200", a.accessToken);
    expect(suggested.data).toHaveLength(4);
    const forIvy = await ok("GET", `/api/v1/ai/agent/decisions?dealId=${interested.id}`, a.accessToken);
    expect(forIvy.data.map((d: { outcome: string; dealName: string }) => [d.dealName, d.outcome])).toEqual([
      ["Ivy Interested", "applied"],
      ["Ivy Interested", "suggested"],
    ]);
    const flags = await ok("GET", "/api/v1/ai/agent/decisions?type=flag_for_review&outcome=applied", a.accessToken);
    expect(flags.data.map((d: { dealId: string }) => d.dealId).sort()).toEqual([exhausted.id, unsubscribed.id].sort());
    const page1 = await ok("GET", "/api/v1/ai/agent/decisions?limit=5", a.accessToken);
    const page2 = await ok("GET", `/api/v1/ai/agent/decisions?limit=5&cursor=${page1.nextCursor}`, a.accessToken);
    expect([...page1.data, ...page2.data].map((d: { id: string }) => d.id)).toEqual(ids.slice(0, 10));

    const one = await ok("GET", `/api/v1/ai/agent/decisions/${forIvy.data[0].id}`, a.accessToken);
    expect(one).toEqual(forIvy.data[0]);
    await expectProblem(
      await api("GET", `/api/v1/ai/agent/decisions/${one.id}`, { token: b.accessToken }),
      404,
      "NOT_FOUND",
    );
    expect((await ok("GET", "/api/v1/ai/agent/decisions", b.accessToken)).data).toEqual([]);
    const badType = await expectProblem(
      await api("GET", "/api/v1/ai/agent/decisions?type=dance", { token: a.accessToken }),
      422,
      "VALIDATION_FAILED",
    );
    expect(badType.errors.map((e: { path: string }) => e.path)).toEqual(["query.type"]);
    await expectProblem(await api("GET", "/api/v1/ai/agent/decisions"), 401);
  });

  it("someone who sees only their own deals sees only the decisions on them", async () => {
    const member = await addMember(a, "member");
    const setVisibility = (sql: string) => env.DB.prepare(sql).bind(a.tenantId).run();
    await setVisibility(
      `update tenants set settings = json_set(settings, '$.recordVisibility', json('{"member":"own"}')) where id = ?1`,
    );
    try {
      expect((await ok("GET", "/api/v1/ai/agent/decisions", member.accessToken)).data).toEqual([]);
      const [first] = (await ok("GET", `/api/v1/ai/agent/decisions?dealId=${interested.id}`, a.accessToken)).data;
      await expectProblem(
        await api("GET", `/api/v1/ai/agent/decisions/${first.id}`, { token: member.accessToken }),
        404,
        "NOT_FOUND",
      );
      expect((await ok("GET", "/api/v1/ai/agent/stuck-deals", member.accessToken)).stuckDeals).toEqual([]);
    } finally {
      await setVisibility(`update tenants set settings = json_remove(settings, '$.recordVisibility') where id = ?1`);
    }
    expect((await ok("GET", "/api/v1/ai/agent/decisions", member.accessToken)).data.length).toBeGreaterThan(0);
  });
});

describe("GET /api/v1/ai/agent/stuck-deals", () => {
  it("lists the open deals over their stage's typical time, the most stuck first; another tenant's are absent", async () => {
    const review = await ok("GET", "/api/v1/ai/agent/stuck-deals", a.accessToken);
    expect(review.engine).toEqual({ engine: "builtin", model: "stuck-deal-rules", version: "1" });
    // Prospect follows up after 3 days: without history, 6 days is its typical time.
    expect(review.stuckDeals.map((s: { dealName: string }) => s.dealName)).toEqual([
      "Nora No-reply",
      "Fay Follow-up",
      "Uma Unsubscribe",
    ]);
    const nora = review.stuckDeals[0];
    expect(nora).toMatchObject({
      stageName: "Prospect",
      daysInStage: 20,
      typicalDays: 6,
      typicalFrom: "follow_up_days",
      reasons: ["over_typical_time", "no_recent_activity"],
    });
    expect(review.explanation).toBe(
      `3 of ${review.openDeals} open deals are stuck: 3 over their stage's typical time, 1 without activity for 14+ days.`,
    );
    const other = await ok("GET", "/api/v1/ai/agent/stuck-deals", b.accessToken);
    expect(other.stuckDeals.map((s: { dealId: string }) => s.dealId)).toEqual([bDeal.id]);
  });
});

describe("The hourly Cron", () => {
  it("runs the agent for tenants with due deals and, at 07 UTC, logs the stuck-deal review", async () => {
    await setMode(b, "act");
    const now = new Date();
    const at = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 7, 17);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: hourlyCron, scheduledTime: at }), env, ctx);
    await waitOnExecutionContext(ctx);
    const decisions = await eventually(
      async () => (await ok("GET", "/api/v1/ai/agent/decisions?limit=50", b.accessToken)).data,
      (rows: Decision[]) => rows.length >= 2,
      20_000,
    );
    const types = decisions.map((d) => [d.type, d.triggeredBy]).sort();
    expect(types).toEqual([
      ["send_email", "cron"],
      ["stuck_review", "cron"],
    ]);
    const review = decisions.find((d) => d.type === "stuck_review")!;
    expect(review.dealId).toBeNull();
    expect(review.action.stuckDeals.map((s: { dealId: string }) => s.dealId)).toEqual([bDeal.id]);
    // B's follow-up went out through B's own mailbox.
    expect((await outboxFor(bDeal.contactEmail)).map((m) => m.subject)).toEqual(["Following up on Bea Other"]);
    // A's log gained nothing for B's deal.
    const aLog = await ok("GET", `/api/v1/ai/agent/decisions?dealId=${bDeal.id}`, a.accessToken);
    expect(aLog.data).toEqual([]);
  });
});
