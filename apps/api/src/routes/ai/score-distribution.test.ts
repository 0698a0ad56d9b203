import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant, type TestTenant } from "../../../test/harness";
import { createContactVia } from "../contacts/test-support";

/**
 * Stored scores written straight into ai_scores (the scoring itself is tested elsewhere): each
 * seeded score is known exactly, so every count the distribution answers is too.
 */
async function seedScore(
  tenant: TestTenant,
  recordId: string,
  kind: string,
  score: number,
  level: string,
  recordType: "contact" | "lead" = "contact",
) {
  const at = Date.now();
  await env.DB.prepare(
    `insert into ai_scores (tenant_id, record_type, record_id, kind, score, computed_score, level, components,
       explanation, factors, engine, model, version, scored_at)
     values (?, ?, ?, ?, ?, ?, ?, '{}', 'seeded', '[]', 'builtin', 'lead-rules', '1', ?)`,
  )
    .bind(tenant.tenantId, recordType, recordId, kind, score, score, level, at)
    .run();
}

async function lead(tenant: TestTenant, firstName: string) {
  const response = await api("POST", "/api/v1/leads", {
    token: tenant.accessToken,
    body: { firstName, lastName: "Lead", email: `${firstName.toLowerCase()}@lead.example` },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await json(response)).id as string;
}

async function contact(tenant: TestTenant, firstName: string) {
  return (await createContactVia(tenant.accessToken, { firstName, lastName: "Scored" })).id as string;
}

async function distribution(token: string, query = "") {
  const response = await api("GET", `/api/v1/ai/scores/distribution${query}`, { token });
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response);
}

describe("GET /api/v1/ai/scores/distribution", () => {
  let a: TestTenant;
  let b: TestTenant;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    [a, b] = await Promise.all([signupTenant("Distribution A"), signupTenant("Distribution B")]);
    // A: hot 95 and 100, warm 64, cold 41, nurture 5 and 9, inactive 0; one churn risk; one deleted contact.
    const seeds: [string, string, number, string][] = [
      ["Hana", "lead_score", 100, "hot"],
      ["Ines", "lead_score", 95, "hot"],
      ["Wale", "lead_score", 64, "warm"],
      ["Cleo", "lead_score", 41, "cold"],
      ["Nour", "lead_score", 9, "nurture"],
      ["Nils", "lead_score", 5, "nurture"],
      ["Ivo", "lead_score", 0, "inactive"],
    ];
    for (const [name, kind, score, level] of seeds) {
      ids[name] = await contact(a, name);
      await seedScore(a, ids[name]!, kind, score, level);
    }
    await seedScore(a, ids.Hana!, "churn", 72, "high");
    ids.Gone = await contact(a, "Gone");
    await seedScore(a, ids.Gone, "lead_score", 99, "hot");
    expect((await api("DELETE", `/api/v1/contacts/${ids.Gone}`, { token: a.accessToken })).status).toBe(204);
    // B: three scores of its own, all hot, none of which may show in A's answer.
    for (const name of ["Bea", "Bo", "Bram"]) {
      ids[name] = await contact(b, name);
      await seedScore(b, ids[name]!, "lead_score", 90, "hot");
    }
    // Leads' own lead scores: A's Lara 85 (hot) and Lio 30 (nurture), B's Bert 90 (hot).
    for (const [tenant, name, score, level] of [
      [a, "Lara", 85, "hot"],
      [a, "Lio", 30, "nurture"],
      [b, "Bert", 90, "hot"],
    ] as const) {
      ids[name] = await lead(tenant, name);
      await seedScore(tenant, ids[name]!, "lead_score", score, level, "lead");
    }
  }, 60_000);

  it("counts A's lead scores per bin and level, with its top contacts, leaving deleted contacts and B out", async () => {
    const body = await distribution(a.accessToken);
    expect(body.kind).toBe("lead_score");
    expect(body.total).toBe(7);
    expect(body.averageScore).toBe(44.9); // (100+95+64+41+9+5+0)/7 = 44.857…
    expect(body.overridden).toBe(0);
    expect(body.levels).toEqual([
      { level: "hot", count: 2 },
      { level: "warm", count: 1 },
      { level: "cold", count: 1 },
      { level: "nurture", count: 2 },
      { level: "inactive", count: 1 },
    ]);
    expect(body.bins.map((bin: { from: number; to: number; count: number }) => [bin.from, bin.to, bin.count])).toEqual([
      [0, 9, 3],
      [10, 19, 0],
      [20, 29, 0],
      [30, 39, 0],
      [40, 49, 1],
      [50, 59, 0],
      [60, 69, 1],
      [70, 79, 0],
      [80, 89, 0],
      [90, 100, 2],
    ]);
    expect(body.bins[0].levels).toEqual({ hot: 0, warm: 0, cold: 0, nurture: 2, inactive: 1 });
    expect(body.bins[9].levels).toEqual({ hot: 2, warm: 0, cold: 0, nurture: 0, inactive: 0 });
    expect(body.top.map((t: { name: string; score: number; level: string }) => [t.name, t.score, t.level])).toEqual([
      ["Hana Scored", 100, "hot"],
      ["Ines Scored", 95, "hot"],
      ["Wale Scored", 64, "warm"],
      ["Cleo Scored", 41, "cold"],
      ["Nour Scored", 9, "nurture"],
      ["Nils Scored", 5, "nurture"],
      ["Ivo Scored", 0, "inactive"],
    ]);
    expect(body.top[0].contactId).toBe(ids.Hana);
  });

  it("counts churn risks by their own levels", async () => {
    const body = await distribution(a.accessToken, "?kind=churn");
    expect(body.total).toBe(1);
    expect(body.levels).toEqual([
      { level: "low", count: 0 },
      { level: "medium", count: 0 },
      { level: "high", count: 1 },
      { level: "critical", count: 0 },
    ]);
    expect(body.bins[7]).toEqual({ from: 70, to: 79, count: 1, levels: { low: 0, medium: 0, high: 1, critical: 0 } });
    expect(body.top.map((t: { contactId: string }) => t.contactId)).toEqual([ids.Hana]);
  });

  it("counts a person's override as the score shown", async () => {
    const response = await api("POST", `/api/v1/contacts/${ids.Nils}/score/override`, {
      token: a.accessToken,
      body: { score: 77, reason: "Asked for a demo at the fair" },
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const overridden = await json(response);
    const body = await distribution(a.accessToken);
    expect(body.total).toBe(7);
    expect(body.overridden).toBe(1);
    expect(body.bins[7].count).toBe(1);
    expect(body.bins[0].count).toBe(2);
    const nils = body.top.find((t: { contactId: string }) => t.contactId === ids.Nils);
    expect(nils).toMatchObject({ score: 77, level: overridden.level, overridden: true });
  });

  it("shows tenant B only its own three scores", async () => {
    const body = await distribution(b.accessToken);
    expect(body.total).toBe(3);
    expect(body.levels[0]).toEqual({ level: "hot", count: 3 });
    expect(body.top.map((t: { contactId: string }) => t.contactId).sort()).toEqual([ids.Bea, ids.Bo, ids.Bram].sort());
    expect((await distribution(b.accessToken, "?kind=churn")).total).toBe(0);
  });

  it("counts the leads' own lead scores apart from the contacts', each organization its own", async () => {
    const body = await distribution(a.accessToken, "?recordType=lead");
    expect([body.kind, body.recordType, body.total, body.averageScore]).toEqual(["lead_score", "lead", 2, 57.5]);
    expect(body.levels).toEqual([
      { level: "hot", count: 1 },
      { level: "warm", count: 0 },
      { level: "cold", count: 0 },
      { level: "nurture", count: 1 },
      { level: "inactive", count: 0 },
    ]);
    expect(body.bins.map((bin: { count: number }) => bin.count)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);
    expect(body.top).toEqual([
      {
        recordType: "lead",
        recordId: ids.Lara,
        contactId: null,
        name: "Lara Lead",
        email: "lara@lead.example",
        lifecycleStage: "lead",
        score: 85,
        level: "hot",
        overridden: false,
        scoredAt: expect.any(String),
      },
      expect.objectContaining({ recordId: ids.Lio, name: "Lio Lead", score: 30, level: "nurture" }),
    ]);
    // The contacts' distribution counts contacts only, and says so.
    const contactsOnly = await distribution(a.accessToken, "?recordType=contact");
    expect([contactsOnly.recordType, contactsOnly.total]).toEqual(["contact", 7]);
    expect(contactsOnly.top[0]).toMatchObject({ recordType: "contact", recordId: ids.Hana, contactId: ids.Hana });
    const theirs = await distribution(b.accessToken, "?recordType=lead");
    expect(theirs.top.map((t: { recordId: string }) => t.recordId)).toEqual([ids.Bert]);
    // Churn risk is a customer's: leads have none to count.
    const problem = await expectProblem(
      await api("GET", "/api/v1/ai/scores/distribution?kind=churn&recordType=lead", { token: a.accessToken }),
      422,
      "VALIDATION_FAILED",
    );
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(["query.recordType"]);
  });

  it("answers an unknown kind with 422 at the query field, and needs ai:read", async () => {
    const problem = await expectProblem(
      await api("GET", "/api/v1/ai/scores/distribution?kind=revenue", { token: a.accessToken }),
      422,
      "VALIDATION_FAILED",
    );
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(["query.kind"]);
    await expectProblem(await api("GET", "/api/v1/ai/scores/distribution"), 401, "UNAUTHORIZED");
    const contactsOnly = await createKey(a, ["contacts:read"]);
    await expectProblem(
      await api("GET", "/api/v1/ai/scores/distribution", { token: contactsOnly.key }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    const aiReader = await createKey(a, ["ai:read"]);
    expect((await distribution(aiReader.key)).total).toBe(7);
  });
});
