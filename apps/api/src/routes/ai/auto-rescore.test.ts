import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { createDb, tenantDb } from "@crm/db";
import { runRescoreChunk, staleRescoreCapPerTick, startRescore, type TenantContext } from "@crm/services";
import { beforeAll, describe, expect, it } from "vitest";
import { hourlyCron } from "../../cron";
import worker from "../../worker";
import { api, json, signupTenant, type TestTenant } from "../../../test/harness";
import { createContactVia, defineCustomField } from "../contacts/test-support";

async function ok(method: string, path: string, token: string, body?: unknown, status = 200) {
  const response = await api(method, path, { token, ...(body === undefined ? {} : { body }) });
  expect(response.status, await response.clone().text()).toBe(status);
  return json(response);
}

type Job = {
  id: string;
  kind: string;
  mode: string;
  trigger: string;
  startedBy: { type: string; id: string };
  status: string;
  total: number;
  scored: number;
};

async function jobsOf(tenant: TestTenant): Promise<Job[]> {
  return (await ok("GET", "/api/v1/ai/rescore", tenant.accessToken)).data;
}

async function finished(tenant: TestTenant, id: string): Promise<Job> {
  let job: Job = await ok("GET", `/api/v1/ai/rescore/${id}`, tenant.accessToken);
  for (let i = 0; i < 400 && (job.status === "queued" || job.status === "running"); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    job = await ok("GET", `/api/v1/ai/rescore/${id}`, tenant.accessToken);
  }
  return job;
}

/** The stored lead scores of a tenant, read from D1 (a GET of a stale score would rescore it on read). */
async function stored(tenantId: string) {
  const rows = await env.DB.prepare(
    "select record_id as id, scored_at as scoredAt, model_id as modelId from ai_scores where tenant_id = ? and kind = 'lead_score'",
  )
    .bind(tenantId)
    .all<{ id: string; scoredAt: number; modelId: string | null }>();
  return new Map(rows.results.map((r) => [r.id, r]));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Contacts written straight into D1 (a test-only arrangement: thousands through the API would take minutes). */
async function seedContacts(tenantId: string, count: number, prefix: string) {
  const now = Date.now();
  const statements = Array.from({ length: count }, (_, i) =>
    env.DB.prepare(
      "insert into contacts (id, tenant_id, first_name, sort_name, emails, phones, tags, consent_status, do_not_contact, social_links, custom_fields, created_at, updated_at) values (?, ?, ?, ?, '[]', '[]', '[]', 'unknown', 0, '{}', '{}', ?, ?)",
    ).bind(`ct_${prefix}${String(i).padStart(4, "0")}`, tenantId, `P${i}`, `p${i}`, now, now),
  );
  for (let i = 0; i < statements.length; i += 500) await env.DB.batch(statements.slice(i, i + 500));
}

async function hourlyTick(at = Date.now()) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: hourlyCron, scheduledTime: at }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** Contacts and leads: some scored then left alone, some scored then changed, some never scored. */
async function seedStale(tenant: TestTenant, name: string) {
  const contact = async (firstName: string) => (await createContactVia(tenant.accessToken, { firstName })).id as string;
  const lead = async (firstName: string) =>
    (await ok("POST", "/api/v1/leads", tenant.accessToken, { firstName }, 201)).id as string;
  const ids = {
    unchanged: await contact(`${name} unchanged`),
    edited: await contact(`${name} edited`),
    neverScored: await contact(`${name} new`),
    noted: await contact(`${name} noted`),
    leadUnchanged: await lead(`${name} lead unchanged`),
    leadEdited: await lead(`${name} lead edited`),
    leadNeverScored: await lead(`${name} lead new`),
  };
  for (const id of [ids.unchanged, ids.edited, ids.noted])
    await ok("POST", `/api/v1/contacts/${id}/score`, tenant.accessToken);
  for (const id of [ids.leadUnchanged, ids.leadEdited])
    await ok("POST", `/api/v1/leads/${id}/score`, tenant.accessToken);
  // Changes strictly after the stored scores' time.
  await pause(20);
  await ok("PATCH", `/api/v1/contacts/${ids.edited}`, tenant.accessToken, { title: "VP Sales" });
  await ok(
    "POST",
    "/api/v1/notes",
    tenant.accessToken,
    { recordType: "contact", recordId: ids.noted, body: "Asked for pricing" },
    201,
  );
  await ok("PATCH", `/api/v1/leads/${ids.leadEdited}`, tenant.accessToken, { title: "Head of Ops" });
  return ids;
}

describe("scores refresh in the background", () => {
  let a: TestTenant;
  let aIds: string[];

  beforeAll(async () => {
    a = await signupTenant("Autoscore A");
    await defineCustomField(a, { objectType: "contact", key: "visits", type: "number" });
    await defineCustomField(a, { objectType: "contact", key: "converted", type: "select", options: ["yes", "no"] });
    aIds = [];
    for (let i = 0; i < 20; i++)
      aIds.push(
        (
          await createContactVia(a.accessToken, {
            firstName: `Visitor ${i}`,
            customFields: { visits: i, converted: i >= 10 !== (i % 10 === 3) ? "yes" : "no" },
          })
        ).id,
      );
    await ok("POST", "/api/v1/leads", a.accessToken, { firstName: "Lead one" }, 201);
  }, 120_000);

  it("a training that activates a new model queues exactly one rescoring of every record with it", async () => {
    const body = {
      kind: "lead_score",
      label: { source: "field", field: "cf.converted", positiveValues: ["yes"] },
      fields: ["cf.visits"],
    };
    const first = await ok("POST", "/api/v1/ai/models", a.accessToken, body, 201);
    const jobs = await jobsOf(a);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ kind: "lead_score", mode: "all", trigger: "retrain", total: 21 });
    expect(jobs[0]!.startedBy.type).toBe("user");
    expect(await finished(a, jobs[0]!.id)).toMatchObject({ status: "completed", scored: 21 });
    let scores = await stored(a.tenantId);
    expect(scores.size).toBe(21);
    expect(aIds.map((id) => scores.get(id)?.modelId)).toEqual(aIds.map(() => first.id));

    // While a rescoring of the kind is under way, a training queues no second one.
    await env.DB.prepare(
      "insert into ai_rescore_jobs (id, tenant_id, kind, object_type, status, mode, \"trigger\", total, scored, chunks_done, started_by, created_at) values ('airs_00busy', ?, 'lead_score', 'contact', 'running', 'all', 'person', 1, 0, 0, '{\"type\":\"system\",\"id\":\"test\"}', ?)",
    )
      .bind(a.tenantId, Date.now())
      .run();
    const second = await ok("POST", "/api/v1/ai/models", a.accessToken, body, 201);
    expect((await jobsOf(a)).map((j) => j.trigger)).toEqual(["retrain", "person"]);
    await env.DB.prepare("update ai_rescore_jobs set status = 'failed' where id = 'airs_00busy'").run();

    // Once it ended, the next training rescores again: the stored scores move to the newest model.
    const third = await ok("POST", "/api/v1/ai/models", a.accessToken, body, 201);
    const after = await jobsOf(a);
    expect(after.map((j) => j.trigger)).toEqual(["retrain", "retrain", "person"]);
    expect(await finished(a, after[0]!.id)).toMatchObject({ status: "completed", scored: 21 });
    scores = await stored(a.tenantId);
    expect(new Set(aIds.map((id) => scores.get(id)?.modelId))).toEqual(new Set([third.id]));
    expect(third.id).not.toBe(second.id);
  }, 120_000);

  it("the weekly retraining from the hourly Cron rescores with the new model too", async () => {
    const before = await jobsOf(a);
    await hourlyTick(Date.now() + 8 * 86_400_000);
    let models: { id: string; trigger: string; status: string }[] = [];
    for (let i = 0; i < 300 && !models.some((m) => m.trigger === "cron"); i++) {
      await pause(100);
      models = (await ok("GET", "/api/v1/ai/models", a.accessToken)).data;
    }
    const retrained = models.find((m) => m.trigger === "cron" && m.status === "active");
    expect(retrained).toBeDefined();
    let jobs = await jobsOf(a);
    for (let i = 0; i < 100 && jobs.length === before.length; i++) {
      await pause(50);
      jobs = await jobsOf(a);
    }
    // Nothing was stale at the tick (every record was just rescored), so the one new job is the retraining's.
    expect(jobs).toHaveLength(before.length + 1);
    expect(jobs[0]).toMatchObject({
      trigger: "retrain",
      mode: "all",
      startedBy: { type: "system", id: "ai-retraining" },
    });
    expect(await finished(a, jobs[0]!.id)).toMatchObject({ status: "completed", scored: 21 });
    const scores = await stored(a.tenantId);
    expect(new Set(aIds.map((id) => scores.get(id)?.modelId))).toEqual(new Set([retrained!.id]));
  }, 120_000);

  it("a stale rescoring scores only its own tenant's stale records", async () => {
    const [mine, other] = await Promise.all([signupTenant("Autoscore mine"), signupTenant("Autoscore other")]);
    const ids = await seedStale(mine, "Mine");
    const otherIds = await seedStale(other, "Other");
    const otherBefore = await stored(other.tenantId);
    const started = await ok("POST", "/api/v1/ai/rescore", mine.accessToken, { mode: "stale" }, 202);
    // The edited, noted and never-scored contacts, the edited and never-scored leads.
    expect(started).toMatchObject({ mode: "stale", trigger: "person", total: 5, objectType: "contact" });
    expect(await finished(mine, started.id)).toMatchObject({ status: "completed", scored: 5, objectType: "lead" });
    const mineAfter = await stored(mine.tenantId);
    expect(mineAfter.has(ids.neverScored)).toBe(true);
    expect(mineAfter.has(ids.leadNeverScored)).toBe(true);
    // The other tenant's rows: exactly as they were (its never-scored records still have no score).
    expect(await stored(other.tenantId)).toEqual(otherBefore);
    expect(otherBefore.has(otherIds.neverScored)).toBe(false);
    expect(await jobsOf(other)).toEqual([]);
  }, 120_000);

  it("the hourly tick rescores exactly the stale contacts and leads, and a tick with nothing stale queues nothing", async () => {
    const c = await signupTenant("Autoscore C");
    const ids = await seedStale(c, "C");
    const before = await stored(c.tenantId);
    const tickAt = Date.now();
    await hourlyTick(tickAt);
    // The job is queued by the tick itself (the consumer then scores it).
    const jobs = await jobsOf(c);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      kind: "lead_score",
      mode: "stale",
      trigger: "schedule",
      startedBy: { type: "system", id: "ai-rescore-schedule" },
      total: 5,
    });
    expect(await finished(c, jobs[0]!.id)).toMatchObject({ status: "completed", scored: 5 });
    const after = await stored(c.tenantId);
    expect(after.size).toBe(7);
    // Unchanged scored records keep their stored score time; the changed and new ones were scored after the tick.
    expect(after.get(ids.unchanged)?.scoredAt).toBe(before.get(ids.unchanged)?.scoredAt);
    expect(after.get(ids.leadUnchanged)?.scoredAt).toBe(before.get(ids.leadUnchanged)?.scoredAt);
    for (const id of [ids.edited, ids.noted, ids.neverScored, ids.leadEdited, ids.leadNeverScored])
      expect(after.get(id)!.scoredAt, id).toBeGreaterThanOrEqual(tickAt);

    await hourlyTick(Date.now());
    expect(await jobsOf(c)).toHaveLength(1);
    expect(await stored(c.tenantId)).toEqual(after);
  }, 120_000);

  it("a redelivered chunk of a stale job is written once and the job goes on from the same point", async () => {
    const t = await signupTenant("Autoscore redelivery");
    await seedContacts(t.tenantId, 130, "rd");
    const ctx: TenantContext = {
      tenant: { id: t.tenantId },
      actor: { type: "system", id: "test" },
      db: tenantDb(createDb(env.DB), t.tenantId),
      requestId: "redelivery",
    };
    // Created without queuing its first chunk: the test delivers the chunks itself.
    const job = await startRescore(ctx, { kind: "lead_score", mode: "stale" });
    expect(job).toMatchObject({ total: 130, status: "queued" });
    const first = await runRescoreChunk(ctx, job.id, 0, null, "contact");
    expect(first.next).toEqual({ objectType: "contact", afterId: "ct_rd0099" });
    // The same chunk again: nothing written; its records are no longer stale, so the next chunk
    // reads from the same point and finds the 30 left.
    const again = await runRescoreChunk(ctx, job.id, 0, null, "contact");
    expect(again.next).toEqual({ objectType: "contact", afterId: null });
    const last = await runRescoreChunk(ctx, job.id, 1, again.next!.afterId, "contact");
    expect(last.next).toBeNull();
    expect(await ok("GET", `/api/v1/ai/rescore/${job.id}`, t.accessToken)).toMatchObject({
      status: "completed",
      scored: 130,
      chunksDone: 2,
    });
    const history = await env.DB.prepare(
      "select count(*) as n, count(distinct record_id) as records from ai_score_history where tenant_id = ?",
    )
      .bind(t.tenantId)
      .first<{ n: number; records: number }>();
    expect(history).toEqual({ n: 130, records: 130 });
  }, 60_000);

  it("one tick rescores at most its cap of stale records; the next tick goes on with the rest", async () => {
    const t = await signupTenant("Autoscore cap");
    await seedContacts(t.tenantId, staleRescoreCapPerTick + 100, "cap");
    // Scoring in use: one contact has a stored score (and is fresh).
    await ok("POST", "/api/v1/contacts/ct_cap0000/score", t.accessToken);
    await hourlyTick();
    const [first] = await jobsOf(t);
    expect(first).toMatchObject({ trigger: "schedule", mode: "stale", total: staleRescoreCapPerTick });
    expect(await finished(t, first!.id)).toMatchObject({ status: "completed", scored: staleRescoreCapPerTick });
    expect((await stored(t.tenantId)).size).toBe(staleRescoreCapPerTick + 1);
    await hourlyTick();
    const jobs = await jobsOf(t);
    expect(jobs).toHaveLength(2);
    expect(jobs[0]).toMatchObject({ trigger: "schedule", total: 99 });
    expect(await finished(t, jobs[0]!.id)).toMatchObject({ status: "completed", scored: 99 });
    expect((await stored(t.tenantId)).size).toBe(staleRescoreCapPerTick + 100);
  }, 120_000);
});
