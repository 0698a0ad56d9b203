import { env } from "cloudflare:test";
import { startManualRun } from "@crm/services";
import { describe, expect, it } from "vitest";
import { signupTenant } from "../../../test/harness";
import { systemContext } from "../../../test/webhooks";
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

describe("workflow runs", () => {
  it("deal created → wait 2 days → create task: waits, is left waiting at +1 day, resumes at +2 days", async () => {
    const owner = await signupTenant("Waiting");
    const workflow = await createWorkflow(owner, {
      name: "Follow up new deals",
      object: "deal",
      trigger: { type: "record.created" },
      actions: [
        { type: "wait", mode: "duration", duration: { amount: 2, unit: "days" } },
        { type: "create_task", title: "Follow up {{record.name}}", priority: "high" },
      ],
    });
    const deal = await call(owner, "POST", "/api/v1/deals", { name: "Big deal", value: 5000 }, 201);

    const [run] = await waitForExecutions(owner, workflow.id, (runs) => runs[0]?.status === "waiting");
    const waiting = await executionOf(owner, workflow.id, run!.id);
    const waitStep = waiting.steps[0];
    expect(waiting).toMatchObject({
      status: "waiting",
      version: 1,
      cause: { kind: "event", eventType: "deal.created" },
      recordType: "deal",
      recordId: deal.id,
      finishedAt: null,
      error: null,
    });
    expect(waiting.resumeAt).toBe(new Date(Date.parse(waitStep.startedAt) + 2 * dayMs).toISOString());
    expect(waiting.steps).toEqual([
      {
        index: 0,
        actionType: "wait",
        status: "waiting",
        startedAt: waitStep.startedAt,
        finishedAt: null,
        output: { resumeAt: waiting.resumeAt },
        error: null,
      },
    ]);

    // A tick a day later finds nothing due.
    await cronTick(Date.now() + dayMs);
    await drained(owner.tenantId);
    expect((await executionOf(owner, workflow.id, run!.id)).status).toBe("waiting");
    const tasksBefore = await call(owner, "GET", `/api/v1/tasks?recordId=${deal.id}`);
    expect(tasksBefore.data).toEqual([]);

    // Two days later (plus the tick's granularity) it resumes and creates the task.
    await cronTick(Date.parse(waiting.resumeAt) + 60_000);
    await waitForExecutions(owner, workflow.id, (runs) => runs[0]?.status === "succeeded");
    const finished = await executionOf(owner, workflow.id, run!.id);
    expect(finished.steps.map((s: { actionType: string; status: string }) => [s.actionType, s.status])).toEqual([
      ["wait", "succeeded"],
      ["create_task", "succeeded"],
    ]);
    expect(finished.resumeAt).toBeNull();
    const task = await call(owner, "GET", `/api/v1/tasks/${finished.steps[1].output.taskId}`);
    expect(task).toMatchObject({
      title: "Follow up Big deal",
      priority: "high",
      recordType: "deal",
      recordId: deal.id,
      assigneeId: deal.ownerId,
    });
    expect((await executionsOf(owner, workflow.id)).length).toBe(1);
  });

  it("contact updated → set lead status and a tag: runs once; its own update does not trigger it again", async () => {
    const owner = await signupTenant("Self trigger");
    const workflow = await createWorkflow(owner, {
      name: "Mark contacted",
      object: "contact",
      trigger: { type: "record.updated" },
      actions: [
        { type: "update_field", field: "leadStatus", value: "contacted" },
        { type: "add_tag", tag: "touched" },
      ],
    });
    const contact = await call(owner, "POST", "/api/v1/contacts", { firstName: "Ada" }, 201);
    await call(owner, "PATCH", `/api/v1/contacts/${contact.id}`, { title: "CEO" });
    await waitForExecutions(owner, workflow.id, (runs) => runs[0]?.status === "succeeded");
    await drained(owner.tenantId);

    const runs = await executionsOf(owner, workflow.id);
    expect(runs.map((r) => [r.status, r.cause.eventType, r.error])).toEqual([["succeeded", "contact.updated", null]]);
    const after = await call(owner, "GET", `/api/v1/contacts/${contact.id}`);
    expect(after).toMatchObject({ title: "CEO", leadStatus: "contacted", tags: ["touched"] });
    // The audit log names the workflow as the actor of its writes.
    const audit = await call(owner, "GET", `/api/v1/audit-log?entityId=${contact.id}`);
    const byWorkflow = audit.data.filter((e: { actorId: string }) => e.actorId === workflow.id);
    expect(byWorkflow.map((e: { actorType: string; action: string }) => [e.actorType, e.action])).toEqual([
      ["system", "update"],
      ["system", "update"],
    ]);
  });
});

describe("stalled runs", () => {
  it("a run whose queue message was lost is picked up by the Cron tick; a step whose worker died fails the run", async () => {
    const owner = await signupTenant("Stalled");
    const workflow = await createWorkflow(owner, {
      name: "Tag it",
      active: false,
      object: "contact",
      trigger: { type: "record.created" },
      actions: [{ type: "add_tag", tag: "picked-up" }],
    });
    const contact = await call(owner, "POST", "/api/v1/contacts", { firstName: "Lost" }, 201);
    // Created as the run route does, but never enqueued: the message was lost.
    const lost = await startManualRun(systemContext(owner.tenantId), workflow.id, contact.id);
    await cronTick(Date.now() + 60_000); // too soon to call it stalled
    await new Promise((resolve) => setTimeout(resolve, 1500)); // time for a wrongly queued run to show
    expect((await executionOf(owner, workflow.id, lost.id)).status).toBe("running");
    await cronTick(Date.now() + 6 * 60_000);
    await waitForExecutions(owner, workflow.id, (runs) => runs[0]?.status === "succeeded");
    expect((await call(owner, "GET", `/api/v1/contacts/${contact.id}`)).tags).toEqual(["picked-up"]);

    // A step claimed by a worker that then died: the run fails with the reason instead of hanging.
    const dead = await startManualRun(systemContext(owner.tenantId), workflow.id, contact.id);
    await env.DB.prepare(
      "insert into workflow_steps (id, tenant_id, execution_id, step_index, action_type, status, started_at) values (?, ?, ?, 0, 'add_tag', 'running', ?)",
    )
      .bind(`wfs_dead${Date.now()}`, owner.tenantId, dead.id, Date.now())
      .run();
    await cronTick(Date.now() + 11 * 60_000);
    const failed = await executionOf(owner, workflow.id, dead.id);
    const reason = "Interrupted: the worker running this step stopped; the step may or may not have taken effect";
    expect([failed.status, failed.error]).toEqual(["failed", `Step 1 (add_tag) failed: ${reason}`]);
    expect(failed.steps.map((s: { status: string; error: string }) => [s.status, s.error])).toEqual([
      ["failed", reason],
    ]);
  });
});
