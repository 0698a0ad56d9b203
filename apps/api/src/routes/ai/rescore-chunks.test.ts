import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, json, signupTenant } from "../../../test/harness";

/**
 * Contacts written straight into D1 (a test-only arrangement: 230 through the API would take
 * most of a minute): enough for whole chunks of 100 and a partial one.
 */
async function seedContacts(tenantId: string, count: number) {
  const now = Date.now();
  const statements = Array.from({ length: count }, (_, i) =>
    env.DB.prepare(
      "insert into contacts (id, tenant_id, first_name, sort_name, emails, phones, tags, consent_status, do_not_contact, social_links, custom_fields, created_at, updated_at) values (?, ?, ?, ?, '[]', '[]', '[]', 'unknown', 0, '{}', '{}', ?, ?)",
    ).bind(`ct_chunk${String(i).padStart(4, "0")}${tenantId.slice(-6)}`, tenantId, `P${i}`, `p${i}`, now, now),
  );
  await env.DB.batch(statements);
}

async function seedLeads(tenantId: string, count: number) {
  const now = Date.now();
  const statements = Array.from({ length: count }, (_, i) =>
    env.DB.prepare(
      "insert into leads (id, tenant_id, first_name, stage, stage_changed_at, tags, custom_fields, created_at, updated_at) values (?, ?, ?, 'lead', ?, '[]', '{}', ?, ?)",
    ).bind(`lead_chunk${String(i).padStart(4, "0")}${tenantId.slice(-6)}`, tenantId, `L${i}`, now, now, now),
  );
  await env.DB.batch(statements);
}

describe("bulk rescoring in chunks", () => {
  it("scores every contact in whole chunks of 100 (a chunk's stored-score read stays under D1's 100 parameters)", async () => {
    const owner = await signupTenant("Chunks");
    await seedContacts(owner.tenantId, 230);
    const started = await api("POST", "/api/v1/ai/rescore", { token: owner.accessToken, body: {} });
    expect(started.status, await started.clone().text()).toBe(202);
    let job = await json(started);
    expect(job).toMatchObject({ status: "queued", total: 230, scored: 0 });
    for (let i = 0; i < 600 && job.status !== "completed" && job.status !== "failed"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = await json(await api("GET", `/api/v1/ai/rescore/${job.id}`, { token: owner.accessToken }));
    }
    expect(job).toMatchObject({ status: "completed", total: 230, scored: 230, chunksDone: 3, progress: 1 });
    const stored = await env.DB.prepare("select count(*) as n from ai_scores where tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ n: number }>();
    expect(stored?.n).toBe(230);
  }, 60_000);

  it("goes on from the contacts' last chunk to the leads, in whole chunks of each", async () => {
    const owner = await signupTenant("Chunks of both");
    await seedContacts(owner.tenantId, 130);
    await seedLeads(owner.tenantId, 120);
    const started = await api("POST", "/api/v1/ai/rescore", { token: owner.accessToken, body: { kind: "lead_score" } });
    expect(started.status, await started.clone().text()).toBe(202);
    let job = await json(started);
    expect(job).toMatchObject({
      status: "queued",
      total: 250,
      objectTypes: ["contact", "lead"],
      objectType: "contact",
    });
    for (let i = 0; i < 600 && job.status !== "completed" && job.status !== "failed"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = await json(await api("GET", `/api/v1/ai/rescore/${job.id}`, { token: owner.accessToken }));
    }
    // Contacts 100 + 30, then leads 100 + 20: four chunks, none empty.
    expect(job).toMatchObject({ status: "completed", objectType: "lead", scored: 250, chunksDone: 4, progress: 1 });
    const chunks = await env.DB.prepare("select rows from ai_rescore_chunks where job_id = ? order by chunk_index")
      .bind(job.id)
      .all<{ rows: number }>();
    expect(chunks.results.map((c) => c.rows)).toEqual([100, 30, 100, 20]);
    const stored = await env.DB.prepare(
      "select record_type as type, count(*) as n from ai_scores where tenant_id = ? group by record_type order by record_type",
    )
      .bind(owner.tenantId)
      .all<{ type: string; n: number }>();
    expect(stored.results).toEqual([
      { type: "contact", n: 130 },
      { type: "lead", n: 120 },
    ]);
  }, 60_000);
});
