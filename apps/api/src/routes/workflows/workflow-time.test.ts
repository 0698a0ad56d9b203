import { env } from "cloudflare:test";
import { nextCronRun } from "@crm/workflows";
import { describe, expect, it } from "vitest";
import { signupTenant } from "../../../test/harness";
import {
  call,
  createWorkflow,
  cronTick,
  dayMs,
  drained,
  executionOf,
  executionsOf,
  waitForExecutions,
} from "../../../test/workflows";

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

describe("time-based workflows, versions, manual runs and cancelling", () => {
  it("a schedule trigger runs on the Cron tick for the records matching its conditions, once per tick", async () => {
    const owner = await signupTenant("Scheduled");
    const workflow = await createWorkflow(owner, {
      name: "Nudge stale contacts at 9 in Paris",
      object: "contact",
      trigger: { type: "schedule", cron: "0 9 * * *", timeZone: "Europe/Paris" },
      conditions: { match: "all", rules: [{ field: "leadStatus", operator: "equals", value: "stale" }] },
      actions: [{ type: "add_tag", tag: "nudged" }],
    });
    const stale = [
      await call(owner, "POST", "/api/v1/contacts", { firstName: "S1", leadStatus: "stale" }, 201),
      await call(owner, "POST", "/api/v1/contacts", { firstName: "S2", leadStatus: "Stale" }, 201),
    ];
    const fresh = await call(owner, "POST", "/api/v1/contacts", { firstName: "F", leadStatus: "new" }, 201);
    const due = nextCronRun("0 9 * * *", "Europe/Paris", new Date())!;
    expect(due.getUTCMinutes()).toBe(0);

    await cronTick(due.getTime() - 60_000); // a minute early: nothing
    await drained(owner.tenantId);
    expect(await executionsOf(owner, workflow.id)).toEqual([]);

    await cronTick(due.getTime() + 60_000);
    await waitForExecutions(owner, workflow.id, (runs) => runs.filter((r) => r.status === "succeeded").length === 2);
    await cronTick(due.getTime() + 120_000); // the same day's run is not repeated
    await drained(owner.tenantId);
    const runs = await executionsOf(owner, workflow.id);
    expect(runs.map((r) => [r.cause.kind, r.status])).toEqual([
      ["schedule", "succeeded"],
      ["schedule", "succeeded"],
    ]);
    expect(runs.map((r) => r.recordId).sort()).toEqual(stale.map((c) => c.id).sort());
    for (const contact of stale)
      expect((await call(owner, "GET", `/api/v1/contacts/${contact.id}`)).tags).toEqual(["nudged"]);
    expect((await call(owner, "GET", `/api/v1/contacts/${fresh.id}`)).tags).toEqual([]);
  });

  it("date.relative fires 3 days before a deal's close date, once per deal and date value", async () => {
    const owner = await signupTenant("Close dates");
    const now = Date.now();
    const workflow = await createWorkflow(owner, {
      name: "Three days before close",
      object: "deal",
      trigger: { type: "date.relative", field: "expectedCloseDate", offsetDays: -3 },
      actions: [{ type: "create_task", title: "Closing soon: {{record.name}}" }],
    });
    const soon = await call(
      owner,
      "POST",
      "/api/v1/deals",
      { name: "Soon", expectedCloseDate: day(now + 5 * dayMs) },
      201,
    );
    const later = await call(
      owner,
      "POST",
      "/api/v1/deals",
      { name: "Later", expectedCloseDate: day(now + 10 * dayMs) },
      201,
    );
    // Already inside the 3 days when the workflow was switched on: not back-filled.
    await call(owner, "POST", "/api/v1/deals", { name: "Past", expectedCloseDate: day(now + 2 * dayMs) }, 201);

    await cronTick(now + 2 * dayMs);
    await waitForExecutions(owner, workflow.id, (runs) => runs[0]?.status === "succeeded");
    await cronTick(now + 2 * dayMs + 5 * 60_000);
    await drained(owner.tenantId);
    let runs = await executionsOf(owner, workflow.id);
    expect(runs.map((r) => [r.cause.kind, r.recordId, r.status])).toEqual([["date", soon.id, "succeeded"]]);
    const run = await executionOf(owner, workflow.id, runs[0]!.id);
    expect((await call(owner, "GET", `/api/v1/tasks/${run.steps[0].output.taskId}`)).title).toBe("Closing soon: Soon");

    // A new close date is a new date value: it fires again when that one falls due.
    await call(owner, "PATCH", `/api/v1/deals/${soon.id}`, { expectedCloseDate: day(now + 6 * dayMs) });
    await cronTick(now + 3 * dayMs);
    await waitForExecutions(owner, workflow.id, (r) => r.length === 2 && r.every((x) => x.status === "succeeded"));
    runs = await executionsOf(owner, workflow.id);
    expect(runs.map((r) => r.recordId)).toEqual([soon.id, soon.id]);
    expect(runs.some((r) => r.recordId === later.id)).toBe(false);
  });

  it("versioning: a waiting run resumes on v1 after v2 is saved; new runs use v2", async () => {
    const owner = await signupTenant("Versions");
    const workflow = await createWorkflow(owner, {
      name: "Tag after an hour",
      object: "contact",
      trigger: { type: "record.created" },
      actions: [
        { type: "wait", mode: "duration", duration: { amount: 1, unit: "hours" } },
        { type: "add_tag", tag: "v1" },
      ],
    });
    const first = await call(owner, "POST", "/api/v1/contacts", { firstName: "First" }, 201);
    await waitForExecutions(owner, workflow.id, (runs) => runs[0]?.status === "waiting");

    const v2 = await call(owner, "PATCH", `/api/v1/workflows/${workflow.id}`, {
      actions: [
        { type: "wait", mode: "duration", duration: { amount: 1, unit: "hours" } },
        { type: "add_tag", tag: "v2" },
      ],
    });
    expect(v2.version).toBe(2);
    const renamed = await call(owner, "PATCH", `/api/v1/workflows/${workflow.id}`, { name: "Renamed" });
    expect([renamed.version, renamed.name]).toEqual([2, "Renamed"]);
    const versions = await call(owner, "GET", `/api/v1/workflows/${workflow.id}/versions`);
    expect(
      versions.data.map((v: { version: number; actions: { tag?: string }[] }) => [v.version, v.actions[1]!.tag]),
    ).toEqual([
      [2, "v2"],
      [1, "v1"],
    ]);

    const second = await call(owner, "POST", "/api/v1/contacts", { firstName: "Second" }, 201);
    await waitForExecutions(
      owner,
      workflow.id,
      (runs) => runs.length === 2 && runs.every((r) => r.status === "waiting"),
    );
    await cronTick(Date.now() + 2 * 3600_000);
    const runs = await waitForExecutions(
      owner,
      workflow.id,
      (r) => r.length === 2 && r.every((x) => x.status === "succeeded"),
    );
    expect(runs.map((r) => [r.recordId, r.version])).toEqual([
      [second.id, 2],
      [first.id, 1],
    ]);
    expect((await call(owner, "GET", `/api/v1/contacts/${first.id}`)).tags).toEqual(["v1"]);
    expect((await call(owner, "GET", `/api/v1/contacts/${second.id}`)).tags).toEqual(["v2"]);
  });

  it("manual run on an inactive workflow; cancel a waiting run (409 once ended); delete cancels waiting runs", async () => {
    const owner = await signupTenant("Manual");
    const workflow = await createWorkflow(owner, {
      name: "Try me",
      active: false,
      object: "contact",
      trigger: { type: "record.created" },
      actions: [
        { type: "add_tag", tag: "manual" },
        { type: "wait", mode: "duration", duration: { amount: 3, unit: "days" } },
        { type: "add_tag", tag: "never" },
      ],
    });
    const contact = await call(owner, "POST", "/api/v1/contacts", { firstName: "M" }, 201);
    // No active workflow: no dispatch is queued; the Cron sweep hands the event over a tick later.
    await cronTick(Date.now() + 60_000);
    await drained(owner.tenantId);
    expect(await executionsOf(owner, workflow.id)).toEqual([]); // inactive: the event started nothing

    const started = await call(owner, "POST", `/api/v1/workflows/${workflow.id}/run`, { recordId: contact.id }, 202);
    expect(started).toMatchObject({
      workflowId: workflow.id,
      version: 1,
      status: "running",
      cause: { kind: "manual", eventId: null, eventType: null },
      recordType: "contact",
      recordId: contact.id,
    });
    await waitForExecutions(owner, workflow.id, (runs) => runs[0]?.status === "waiting");
    expect((await call(owner, "GET", `/api/v1/contacts/${contact.id}`)).tags).toEqual(["manual"]);

    const cancelled = await call(owner, "POST", `/api/v1/workflows/${workflow.id}/executions/${started.id}/cancel`);
    expect([cancelled.status, cancelled.resumeAt, cancelled.error]).toEqual(["cancelled", null, "Cancelled"]);
    const again = await call(
      owner,
      "POST",
      `/api/v1/workflows/${workflow.id}/executions/${started.id}/cancel`,
      undefined,
      409,
    );
    expect(again.code).toBe("CONFLICT");
    await cronTick(Date.now() + 4 * dayMs);
    await drained(owner.tenantId);
    const after = await executionOf(owner, workflow.id, started.id);
    expect(after.status).toBe("cancelled");
    expect(after.steps.map((s: { actionType: string; status: string }) => [s.actionType, s.status])).toEqual([
      ["add_tag", "succeeded"],
      ["wait", "skipped"],
    ]);

    const missing = await call(owner, "POST", `/api/v1/workflows/${workflow.id}/run`, {}, 422);
    expect(missing.errors).toEqual([
      { path: "body.recordId", message: "Required: the contact to run the workflow on" },
    ]);
    const deal = await call(owner, "POST", "/api/v1/deals", { name: "Not a contact" }, 201);
    const wrong = await call(owner, "POST", `/api/v1/workflows/${workflow.id}/run`, { recordId: deal.id }, 422);
    expect(wrong.errors).toEqual([{ path: "body.recordId", message: "No contact of this organization has this id" }]);

    // Deleting the workflow cancels its waiting runs.
    const second = await call(owner, "POST", `/api/v1/workflows/${workflow.id}/run`, { recordId: contact.id }, 202);
    await waitForExecutions(owner, workflow.id, (runs) => runs.find((r) => r.id === second.id)?.status === "waiting");
    await call(owner, "DELETE", `/api/v1/workflows/${workflow.id}`, undefined, 204);
    const row = await env.DB.prepare("select status, error from workflow_executions where id = ?")
      .bind(second.id)
      .first();
    expect(row).toEqual({ status: "cancelled", error: "The workflow was deleted" });
    expect((await call(owner, "GET", `/api/v1/workflows/${workflow.id}`, undefined, 404)).code).toBe("NOT_FOUND");
  });
});
