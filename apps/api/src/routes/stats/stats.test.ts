import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, signupTenant } from "../../../test/harness";
import { addMember, userIdOf } from "../../../test/people";
import { setRecordVisibility } from "../contacts/test-support";
import { createDeal, get, moveDeal, pipelineNamed, post, stageNamed } from "../deals/test-support";

const at = (iso: string) => Date.parse(iso);

/**
 * The API stamps creation and closing with the current time; a dataset with known dates
 * needs them set afterwards (a test-only arrangement of rows the API created).
 */
async function backdate(table: "deals" | "leads", id: string, createdAt: string, closedAt?: string) {
  const sql = closedAt
    ? `update ${table} set created_at = ?, closed_at = ? where id = ?`
    : `update ${table} set created_at = ? where id = ?`;
  const values = closedAt ? [at(createdAt), at(closedAt), id] : [at(createdAt), id];
  const result = await env.DB.prepare(sql)
    .bind(...values)
    .run();
  expect(result.meta.changes).toBe(1);
}

describe("pipeline stats", () => {
  it("computes value by stage, weighted forecast, win rate and cycle time exactly on a known dataset", async () => {
    const owner = await signupTenant();
    const sales = await pipelineNamed(owner.accessToken, "Sales");
    const stage = (name: string) => stageNamed(sales, name).id;
    const deal = async (
      name: string,
      value: number,
      createdAt: string,
      close?: { stage: "Won" | "Lost"; at: string },
      extra: Record<string, unknown> = {},
    ) => {
      const created = await createDeal(owner.accessToken, { name, value, ...extra });
      if (close)
        await moveDeal(owner.accessToken, created.id, {
          stageId: stage(close.stage),
          ...(close.stage === "Lost" ? { lostReason: "Price" } : {}),
        });
      await backdate("deals", created.id, createdAt, close?.at);
      return created;
    };
    await deal("W1", 1000, "2026-01-01T00:00:00Z", { stage: "Won", at: "2026-01-11T00:00:00Z" }); // 10 days
    await deal("W2", 2000, "2026-01-05T00:00:00Z", { stage: "Won", at: "2026-01-25T00:00:00Z" }); // 20 days
    await deal("W3", 3000, "2026-02-01T00:00:00Z", { stage: "Won", at: "2026-03-03T00:00:00Z" }); // 30 days
    await deal("L1", 500, "2026-02-10T00:00:00Z", { stage: "Lost", at: "2026-03-10T00:00:00Z" });
    await deal("O1", 1000, "2026-03-01T00:00:00Z", undefined, { stageId: stage("Proposal Sent") }); // 60%
    await deal("O2", 4000, "2026-03-15T00:00:00Z", undefined, { stageId: stage("Negotiating") }); // 80%
    await deal("P1", 10000, "2026-02-20T00:00:00Z", undefined, { status: "paused" }); // paused: no forecast
    await deal("Old", 7777, "2025-06-01T00:00:00Z", { stage: "Won", at: "2025-07-01T00:00:00Z" }); // 30 days, before the period
    // Another pipeline's deal is left out when pipelineId is given.
    await createDeal(owner.accessToken, {
      name: "Partner",
      value: 123,
      pipelineId: (await pipelineNamed(owner.accessToken, "Partnership")).id,
    });

    // Noise: another tenant's deals in its own Sales pipeline, in the same period.
    const noisy = await signupTenant("Noise");
    const noisySales = await pipelineNamed(noisy.accessToken, "Sales");
    for (const value of [50_000, 60_000]) {
      const d = await createDeal(noisy.accessToken, { name: "noise", value });
      await moveDeal(noisy.accessToken, d.id, {
        stageId: stageNamed(noisySales, value === 50_000 ? "Won" : "Lost").id,
      });
      await backdate("deals", d.id, "2026-02-01T00:00:00Z", "2026-02-02T00:00:00Z");
    }

    const stats = await get(
      owner.accessToken,
      `/api/v1/stats/pipeline?pipelineId=${sales.id}&from=2026-01-01&to=2026-03-31`,
    );
    expect(stats.from).toBe("2026-01-01T00:00:00.000Z");
    expect(stats.to).toBe("2026-04-01T00:00:00.000Z");
    expect(stats.byStage.map((s: Record<string, unknown>) => [s.name, s.count, s.value, s.weightedValue])).toEqual([
      ["New Lead", 1, 10000, 1000],
      ["Contacted", 0, 0, 0],
      ["Interested", 0, 0, 0],
      ["Proposal Sent", 1, 1000, 600],
      ["Negotiating", 1, 4000, 3200],
      ["Won", 3, 6000, 6000],
      ["Lost", 1, 500, 0],
    ]);
    expect(stats).toMatchObject({
      pipelineId: sales.id,
      open: { count: 2, value: 5000 },
      weightedForecast: 3800,
      won: { count: 3, value: 6000 },
      lost: { count: 1, value: 500 },
      winRate: 0.75,
      averageCycleDays: 20,
    });

    const allTime = await get(owner.accessToken, `/api/v1/stats/pipeline?pipelineId=${sales.id}`);
    expect(allTime).toMatchObject({
      won: { count: 4, value: 13777 },
      lost: { count: 1, value: 500 },
      winRate: 0.8,
      averageCycleDays: 22.5,
      weightedForecast: 3800,
    });
    const everyPipeline = await get(owner.accessToken, "/api/v1/stats/pipeline");
    expect(everyPipeline.byStage).toHaveLength(7 + 8 + 6);
    expect(everyPipeline.open).toEqual({ count: 3, value: 5123 });
    expect(everyPipeline.weightedForecast).toBe(3812.3); // + Partner: 123 x 10%

    const quiet = await get(
      owner.accessToken,
      `/api/v1/stats/pipeline?pipelineId=${sales.id}&from=2024-01-01&to=2024-12-31`,
    );
    expect(quiet).toMatchObject({
      winRate: null,
      averageCycleDays: null,
      weightedForecast: 0,
      open: { count: 0, value: 0 },
    });

    // The noise tenant sees only its own figures, and nothing of the owner's pipeline.
    const theirs = await get(noisy.accessToken, "/api/v1/stats/pipeline?from=2026-01-01&to=2026-03-31");
    expect(theirs).toMatchObject({
      won: { count: 1, value: 50000 },
      lost: { count: 1, value: 60000 },
      winRate: 0.5,
      weightedForecast: 0,
    });
    await expectProblem(
      await api("GET", `/api/v1/stats/pipeline?pipelineId=${sales.id}`, { token: noisy.accessToken }),
      404,
      "NOT_FOUND",
    );

    // Members who see only their own records get figures over their own deals.
    const member = await addMember(owner, "member");
    await setRecordVisibility(owner, { member: "own" });
    const own = await get(member.accessToken, `/api/v1/stats/pipeline?pipelineId=${sales.id}`);
    expect(own).toMatchObject({ won: { count: 0, value: 0 }, open: { count: 0, value: 0 }, winRate: null });

    const backwards = await api("GET", "/api/v1/stats/pipeline?from=2026-02-01&to=2026-01-01", {
      token: owner.accessToken,
    });
    expect((await expectProblem(backwards, 422)).errors).toEqual([
      { path: "query.to", message: "Must be after `from`" },
    ]);
    const badDate = await api("GET", "/api/v1/stats/pipeline?from=yesterday", { token: owner.accessToken });
    expect((await expectProblem(badDate, 422)).errors[0].path).toBe("query.from");
    const key = await createKey(owner, ["deals:read"]);
    await expectProblem(await api("GET", "/api/v1/stats/pipeline", { token: key.key }), 403, "INSUFFICIENT_SCOPE");
  });
});

describe("lead stats", () => {
  it("counts leads created in the period by stage, source and owner", async () => {
    const owner = await signupTenant();
    const ownerId = await userIdOf(owner);
    const member = await addMember(owner, "member");
    const key = await createKey(owner, ["leads:write", "stats:read"]);
    const lead = async (token: string, body: Record<string, unknown>, createdAt: string) => {
      const created = await post(token, "/api/v1/leads", body);
      await backdate("leads", created.id, createdAt);
      return created;
    };
    const first = await lead(owner.accessToken, { firstName: "A", source: "webinar" }, "2026-01-10T00:00:00Z");
    await lead(owner.accessToken, { firstName: "B", source: "webinar", stage: "mql" }, "2026-02-10T00:00:00Z");
    await lead(member.accessToken, { firstName: "C", source: "referral", stage: "sql" }, "2026-03-10T00:00:00Z");
    await lead(key.key, { firstName: "D" }, "2026-03-31T23:59:59Z");
    await lead(owner.accessToken, { firstName: "Old", source: "webinar" }, "2025-12-31T23:59:59Z");
    await post(owner.accessToken, `/api/v1/leads/${first.id}/convert`, {});
    const noisy = await signupTenant("Noise");
    await post(noisy.accessToken, "/api/v1/leads", { firstName: "Noise", source: "webinar" });

    const stats = await get(owner.accessToken, "/api/v1/stats/leads?from=2026-01-01&to=2026-03-31");
    expect(stats).toEqual({
      from: "2026-01-01T00:00:00.000Z",
      to: "2026-04-01T00:00:00.000Z",
      total: 4,
      converted: 1,
      byStage: [
        { stage: "lead", count: 2 },
        { stage: "mql", count: 1 },
        { stage: "sql", count: 1 },
        { stage: "opportunity", count: 0 },
        { stage: "customer", count: 0 },
        { stage: "lost", count: 0 },
      ],
      bySource: [
        { source: "webinar", count: 2 },
        { source: null, count: 1 },
        { source: "referral", count: 1 },
      ],
      byOwner: [
        { ownerId, count: 2 },
        { ownerId: null, count: 1 },
        { ownerId: member.userId, count: 1 },
      ],
    });
    expect((await get(key.key, "/api/v1/stats/leads")).total).toBe(5);
    expect(await get(noisy.accessToken, "/api/v1/stats/leads")).toMatchObject({
      total: 1,
      bySource: [{ source: "webinar", count: 1 }],
    });

    await setRecordVisibility(owner, { member: "own" });
    expect(await get(member.accessToken, "/api/v1/stats/leads")).toMatchObject({
      total: 1,
      byOwner: [{ ownerId: member.userId, count: 1 }],
    });
  });
});
