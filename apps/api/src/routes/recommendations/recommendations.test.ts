import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { contacts, newId, tasks } from "@crm/db";
import { recommendChunk, recommendChunkSize } from "@crm/services";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../worker";
import { hourlyCron } from "../../cron";
import { api, createKey, expectProblem, signupTenant, type TestTenant } from "../../../test/harness";
import { addMember, userIdOf } from "../../../test/people";
import { dbOf, insertContact, insertLead, ok, setRecordVisibility } from "../tasks/test-support";
import { daysAgo, insertActivity, insertReply, insertStalledDeal } from "../next-best-actions/test-support";

let a: TestTenant;
let b: TestTenant;
let dealId: string;
let contactId: string;
beforeAll(async () => {
  [a, b] = await Promise.all([signupTenant("Recommend A"), signupTenant("Recommend B")]);
  // A stalled deal (follow up, 80), a contact whose question waits (answer, 92), a lead with nothing due.
  dealId = (await insertStalledDeal(a.tenantId)).deal.id;
  const contact = await insertContact(a.tenantId, { firstName: "Quinn", lastName: "Asker" });
  contactId = contact.id;
  await insertReply(a.tenantId, contact.id, "question", daysAgo(2));
  await insertLead(a.tenantId, { firstName: "Grace" });
});

type Rec = { id: string; recordId: string; type: string; priority: number; status: string; expired: boolean };
const list = async (token: string, query = "") =>
  (await ok("GET", `/api/v1/ai/recommendations${query}`, token)).data as Rec[];
const refresh = (token: string) => ok("POST", "/api/v1/ai/recommendations/refresh", token, undefined, 200);
const patch = (token: string, id: string, status: string) =>
  api("PATCH", `/api/v1/ai/recommendations/${id}`, { token, body: { status } });

async function pendingOf(token: string, recordId: string): Promise<Rec> {
  const [rec] = await list(token, `?status=pending&recordId=${recordId}`);
  expect(rec, `a pending recommendation for ${recordId}`).toBeDefined();
  return rec!;
}

describe("recommendations", () => {
  it("a refresh recommends each record's next best action once, highest priority first, with why", async () => {
    expect(await refresh(a.accessToken)).toEqual({
      records: 3,
      created: 2,
      updated: 0,
      unchanged: 0,
      removed: 0,
      alreadyHandled: 0,
      pending: 2,
      complete: true,
    });
    const page = await ok("GET", "/api/v1/ai/recommendations?status=pending", a.accessToken);
    expect(page.nextCursor).toBeNull();
    expect(page.data.map((r: Rec) => [r.recordId, r.type, r.priority])).toEqual([
      [contactId, "answer_question", 92],
      [dealId, "follow_up_stalled_deal", 80],
    ]);
    expect(page.data[1]).toMatchObject({
      recordType: "deal",
      title: "Follow up on the stalled deal: Acme renewal",
      confidence: 0.75,
      status: "pending",
      expired: false,
      explanation: "No touch for 12 days in Proposal Sent, which follows up after 5. Priority 80.",
      factors: [
        { name: "Proposal Sent: follow-up due", impact: 55, value: "5 days" },
        { name: "days past the follow-up", impact: 25, value: 7 },
      ],
      engine: { engine: "builtin", model: "next-best-action-rules", version: "1" },
      statusChangedBy: null,
      viewedAt: null,
    });
    // Paged like other lists.
    const first = await ok("GET", "/api/v1/ai/recommendations?limit=1", a.accessToken);
    expect(first.data.map((r: Rec) => r.priority)).toEqual([92]);
    const second = await ok(
      "GET",
      `/api/v1/ai/recommendations?limit=1&cursor=${encodeURIComponent(first.nextCursor)}`,
      a.accessToken,
    );
    expect([second.data.map((r: Rec) => r.priority), second.nextCursor]).toEqual([[80], null]);
    expect((await list(a.accessToken, "?recordType=deal")).map((r) => r.recordId)).toEqual([dealId]);
    expect((await list(a.accessToken, "?sort=priority")).map((r) => r.priority)).toEqual([80, 92]);
  });

  it("a rerun adds no duplicates; a changed action replaces the pending one", async () => {
    // The same rows, due when first suggested; only their expiry moves on.
    const kept = (rows: Rec[]) =>
      rows.map((r) => {
        const { expiresAt: _expiresAt, updatedAt: _updatedAt, ...rest } = r as Rec & Record<string, unknown>;
        return rest;
      });
    const before = await list(a.accessToken);
    expect(await refresh(a.accessToken)).toMatchObject({
      records: 3,
      created: 0,
      updated: 0,
      unchanged: 2,
      removed: 0,
    });
    expect(kept(await list(a.accessToken))).toEqual(kept(before));

    // The contact now asks to unsubscribe: respecting that replaces answering the question.
    await insertReply(a.tenantId, contactId, "unsubscribe", new Date());
    expect(await refresh(a.accessToken)).toMatchObject({ created: 1, unchanged: 1, removed: 1, pending: 2 });
    const mine = await list(a.accessToken, `?recordId=${contactId}`);
    expect(mine.map((r) => [r.type, r.priority, r.status])).toEqual([["respect_opt_out", 95, "pending"]]);
  });

  it("moves through its life cycle; any other move is a 422 at body.status saying which are open", async () => {
    const rec = await pendingOf(a.accessToken, contactId);
    const early = await expectProblem(await patch(a.accessToken, rec.id, "accepted"), 422, "VALIDATION_FAILED");
    expect(early.errors).toEqual([
      { path: "body.status", message: "A pending recommendation can become viewed, not accepted." },
    ]);
    const unknown = await expectProblem(await patch(a.accessToken, rec.id, "archived"), 422, "VALIDATION_FAILED");
    expect(unknown.errors.map((e: { path: string }) => e.path)).toEqual(["body.status"]);

    const ownerId = await userIdOf(a);
    const viewed = await ok("PATCH", `/api/v1/ai/recommendations/${rec.id}`, a.accessToken, { status: "viewed" }, 200);
    expect(viewed).toMatchObject({ status: "viewed", statusChangedBy: ownerId, acceptedAt: null });
    expect(viewed.viewedAt).toBe(viewed.statusChangedAt);
    const accepted = await ok(
      "PATCH",
      `/api/v1/ai/recommendations/${rec.id}`,
      a.accessToken,
      { status: "accepted" },
      200,
    );
    expect(accepted.status).toBe("accepted");
    const done = await ok("PATCH", `/api/v1/ai/recommendations/${rec.id}`, a.accessToken, { status: "completed" }, 200);
    expect([done.status, done.viewedAt, typeof done.completedAt]).toEqual(["completed", viewed.viewedAt, "string"]);
    const final = await expectProblem(await patch(a.accessToken, rec.id, "dismissed"), 422, "VALIDATION_FAILED");
    expect(final.errors[0].message).toBe("A completed recommendation is final; it cannot become dismissed.");
    expect(await ok("GET", `/api/v1/ai/recommendations/${rec.id}`, a.accessToken)).toEqual(done);

    // Completed within its validity: the same action is not offered again meanwhile.
    expect(await refresh(a.accessToken)).toMatchObject({ created: 0, alreadyHandled: 1, pending: 1 });
    expect((await list(a.accessToken, "?status=pending")).map((r) => r.recordId)).toEqual([dealId]);
    expect((await list(a.accessToken, "?status=completed")).map((r) => r.id)).toEqual([rec.id]);
  });

  it("an expired one leaves the pending list and cannot be viewed or accepted, only dismissed", async () => {
    const rec = await pendingOf(a.accessToken, dealId);
    const expire = () =>
      env.DB.prepare("update ai_recommendations set expires_at = ? where id = ?")
        .bind(Date.now() - 60_000, rec.id)
        .run();
    await expire();
    expect(await list(a.accessToken, "?status=pending")).toEqual([]);
    const expired = await list(a.accessToken, "?status=expired");
    expect(expired.map((r) => [r.id, r.status, r.expired])).toEqual([[rec.id, "pending", true]]);
    const problem = await expectProblem(await patch(a.accessToken, rec.id, "viewed"), 422, "VALIDATION_FAILED");
    expect(problem.errors[0].path).toBe("body.status");
    expect(problem.errors[0].message).toMatch(/^The recommendation expired at .+; it cannot become viewed\.$/);

    // The next run finds the deal still stalled: the same pending row, fresh again.
    expect(await refresh(a.accessToken)).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    const again = await pendingOf(a.accessToken, dealId);
    expect([again.id, again.expired]).toEqual([rec.id, false]);

    await ok("PATCH", `/api/v1/ai/recommendations/${rec.id}`, a.accessToken, { status: "viewed" }, 200);
    await expire();
    const late = await expectProblem(await patch(a.accessToken, rec.id, "accepted"), 422, "VALIDATION_FAILED");
    expect(late.errors[0].message).toMatch(/; it cannot become accepted\.$/);
    const dismissed = await ok(
      "PATCH",
      `/api/v1/ai/recommendations/${rec.id}`,
      a.accessToken,
      { status: "dismissed" },
      200,
    );
    expect([dismissed.status, dismissed.expired]).toEqual(["dismissed", false]);
    // Dismissed after its expiry: a still stalled deal is offered again as a new recommendation (the
    // contact's completed one, still within its validity, is not).
    expect(await refresh(a.accessToken)).toMatchObject({ created: 1, alreadyHandled: 1 });
    expect((await pendingOf(a.accessToken, dealId)).id).not.toBe(rec.id);
  });

  it("a record that needs nothing any more loses its pending recommendation", async () => {
    await insertActivity(a.tenantId, "deal", dealId, new Date());
    expect(await refresh(a.accessToken)).toMatchObject({ created: 0, removed: 1, pending: 0 });
    expect(await list(a.accessToken, `?status=pending&recordId=${dealId}`)).toEqual([]);
    // What people did with the earlier ones stays.
    expect((await list(a.accessToken, `?recordId=${dealId}`)).map((r) => r.status)).toEqual(["dismissed"]);
  });

  it("another organization's recommendations are absent from lists and 404 one by one", async () => {
    const { deal } = await insertStalledDeal(a.tenantId, "Second stalled");
    await refresh(a.accessToken);
    const rec = await pendingOf(a.accessToken, deal.id);
    await refresh(b.accessToken);
    expect(await list(b.accessToken)).toEqual([]);
    expect(await list(b.accessToken, `?recordId=${deal.id}`)).toEqual([]);
    await expectProblem(
      await api("GET", `/api/v1/ai/recommendations/${rec.id}`, { token: b.accessToken }),
      404,
      "NOT_FOUND",
    );
    await expectProblem(await patch(b.accessToken, rec.id, "viewed"), 404, "NOT_FOUND");
    expect((await pendingOf(a.accessToken, deal.id)).status).toBe("pending");
  });

  it("only on records the person may see; API keys need ai:read to read and ai:write to move", async () => {
    const team = await signupTenant("Recommend team");
    const member = await addMember(team, "member");
    const { deal } = await insertStalledDeal(team.tenantId, "Owner's stalled deal");
    await refresh(team.accessToken);
    const rec = await pendingOf(team.accessToken, deal.id);
    expect((await list(member.accessToken)).map((r) => r.id)).toEqual([rec.id]);
    await setRecordVisibility(team.tenantId, { member: "own" });
    expect(await list(member.accessToken)).toEqual([]);
    await expectProblem(await patch(member.accessToken, rec.id, "viewed"), 404, "NOT_FOUND");

    const reader = await createKey(team, ["ai:read"]);
    expect((await list(reader.key)).map((r) => r.id)).toEqual([rec.id]);
    await expectProblem(await patch(reader.key, rec.id, "viewed"), 403, "INSUFFICIENT_SCOPE");
    await expectProblem(
      await api("POST", "/api/v1/ai/recommendations/refresh", { token: reader.key }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    const writer = await createKey(team, ["ai:write"]);
    expect(
      (await ok("PATCH", `/api/v1/ai/recommendations/${rec.id}`, writer.key, { status: "viewed" }, 200))
        .statusChangedBy,
    ).toBe(writer.id);
    await expectProblem(await api("GET", "/api/v1/ai/recommendations"), 401, "UNAUTHORIZED");
  });
});

describe("the hourly generation", () => {
  it("decides at most one chunk of records per statement batch", async () => {
    const bulk = await signupTenant("Recommend chunks");
    const db = dbOf(bulk.tenantId);
    const overdue = daysAgo(1);
    const ids: string[] = [];
    const queries = [];
    for (let i = 0; i < 230; i++) {
      const id = newId("contact");
      ids.push(id);
      queries.push(db.insertQuery(contacts, { id, firstName: `Bulk ${i}`, sortName: `bulk ${i}` }));
      queries.push(
        db.insertQuery(tasks, {
          id: newId("task"),
          title: "Call back",
          dueAt: overdue,
          recordType: "contact",
          recordId: id,
        }),
      );
    }
    await db.batch(queries as [(typeof queries)[number], ...typeof queries]);
    const ctx = { tenant: { id: bulk.tenantId }, actor: { type: "system" as const, id: "test" }, db, requestId: "t" };
    const first = await recommendChunk(ctx, "contact", null, new Date());
    expect(first.counts.records).toBe(recommendChunkSize);
    expect(first.counts.created).toBe(recommendChunkSize);
    expect(first.nextAfterId).toBe([...ids].sort()[recommendChunkSize - 1]);

    // The Cron tick queues one job per tenant; the consumer goes on through the chunks.
    const tick = Date.now();
    const ctxExec = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: hourlyCron, scheduledTime: tick }), env, ctxExec);
    await waitOnExecutionContext(ctxExec);
    const count = async () =>
      (await env.DB.prepare(
        "select count(*) as n, count(distinct record_id) as records, min(generated_at) as oldest from ai_recommendations where tenant_id = ? and status = 'pending'",
      )
        .bind(bulk.tenantId)
        .first<{ n: number; records: number; oldest: number }>())!;
    let seen = await count();
    for (let i = 0; i < 300 && !(seen.n === 230 && seen.oldest === tick); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await count();
    }
    expect(seen).toEqual({ n: 230, records: 230, oldest: tick });
    const page = await ok("GET", "/api/v1/ai/recommendations?status=pending&limit=1", bulk.accessToken);
    expect(page.data[0]).toMatchObject({ type: "complete_overdue_task", priority: 72, status: "pending" });

    // A second tick rewrites the same rows: still one per record.
    const later = tick + 60_000;
    const again = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: hourlyCron, scheduledTime: later }), env, again);
    await waitOnExecutionContext(again);
    for (let i = 0; i < 300 && seen.oldest !== later; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await count();
    }
    expect(seen).toEqual({ n: 230, records: 230, oldest: later });
    // The other tenants of this file were generated too, each on its own rows.
    expect(await list(b.accessToken)).toEqual([]);
  }, 60_000);
});
