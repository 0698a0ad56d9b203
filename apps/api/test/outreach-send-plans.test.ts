import { createExecutionContext, createMessageBatch, createScheduledController, env } from "cloudflare:test";
import { waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signupTenant } from "./harness";
import { call, createContact, hourMs, nextMonday, sequenceBody } from "./outreach";
import worker from "../src/worker";

/**
 * How SQLite runs every statement of a scheduler tick and of a set-based send batch, from
 * EXPLAIN QUERY PLAN against the migrated D1 with the statements' own parameters. Each must
 * seek what it reads: a statement that walks the tenant's rows (`tenant_id=?` alone) costs a
 * send batch the whole table per 250 sends, as the batch's read of its enrollments by id did
 * (bench/outreach-scheduler.mjs: the rate fell as the tables filled).
 */
const captured: { sql: string; params: unknown[] }[] = [];

/** env.DB, recording each statement prepared through it and the parameters bound to it. */
function recording(db: D1Database): D1Database {
  const forward = (target: object, prop: string | symbol) => {
    const value = Reflect.get(target, prop) as unknown;
    return typeof value === "function" ? value.bind(target) : value;
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop !== "prepare") return forward(target, prop);
      return (sql: string) => {
        const entry = { sql, params: [] as unknown[] };
        captured.push(entry);
        return new Proxy(target.prepare(sql), {
          get(statement, p) {
            if (p !== "bind") return forward(statement, p);
            return (...params: unknown[]) => {
              entry.params = params;
              return statement.bind(...params);
            };
          },
        });
      };
    },
  });
}

async function plans(): Promise<{ sql: string; plan: string[] }[]> {
  const out = [];
  for (const { sql, params } of captured.splice(0)) {
    const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...params)
      .all<{ detail: string }>();
    out.push({ sql, plan: rows.results.map((r) => r.detail) });
  }
  return out;
}

/**
 * Plan lines that read a table by walking it or the tenant's whole range of an index. A JSON
 * parameter's entries (json_each, or jsonb_each as `j` in TenantDb's copies) are the
 * statement's own input, walked once.
 */
function walks(plan: string[]): string[] {
  return plan.filter(
    (line) => /^SCAN (?!json_each|jsonb_each|j VIRTUAL TABLE)/.test(line) || /^SEARCH .*\(tenant_id=\?\)$/.test(line),
  );
}

describe("the outreach scheduler's statements", () => {
  it("seek what they read: the tick its due enrollments, a send batch each row by id or key", async () => {
    const owner = await signupTenant("Send plans");
    const sequence = await call(owner, "POST", "/api/v1/sequences", sequenceBody(), 201);
    const people = [await createContact(owner, { firstName: "Ada" }), await createContact(owner, { firstName: "Ben" })];
    const enrolled = await call(owner, "POST", `/api/v1/sequences/${sequence.id}/enrollments`, {
      contactIds: people.map((p) => p.id),
    });
    const at = nextMonday() + 10 * hourMs;
    const recorded = { ...env, DB: recording(env.DB) };

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime: at }), recorded, ctx);
    await waitOnExecutionContext(ctx);
    const tick = await plans();
    // The tick reads the list of tenants whole (it visits each), and nothing else that way.
    expect(tick.flatMap((s) => walks(s.plan)).filter((line) => !/^SCAN tenants\b/.test(line))).toEqual([]);
    expect(tick.some((s) => s.plan.some((line) => line.includes("sequence_enrollments_due_idx")))).toBe(true);

    const sends = enrolled.data.map((r: { enrollmentId: string }) => ({
      enrollmentId: r.enrollmentId,
      stepId: sequence.steps[0].id,
    }));
    const message = { type: "outreach.sendBatch", tenantId: owner.tenantId, at, sends };
    await worker.queue(
      createMessageBatch("crm-jobs", [{ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: message }]),
      recorded,
    );
    const batch = await plans();
    // Both were sent, set-based: the batch's claim wrote them.
    const sent = await env.DB.prepare(
      "select count(*) as n from outreach_messages where tenant_id = ?1 and sequence_id = ?2 and status = 'sent'",
    )
      .bind(owner.tenantId, sequence.id)
      .first<{ n: number }>();
    expect(sent?.n).toBe(2);
    expect(batch.some((s) => /^insert into "outreach_messages"/.test(s.sql))).toBe(true);
    expect(batch.filter((s) => walks(s.plan).length > 0).map((s) => ({ sql: s.sql, walks: walks(s.plan) }))).toEqual(
      [],
    );
  });
});
