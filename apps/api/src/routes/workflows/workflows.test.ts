import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant, type TestTenant } from "../../../test/harness";
import { addMember } from "../../../test/people";
import { call, createWorkflow, cronTick, drained, executionsOf, waitForExecutions } from "../../../test/workflows";
import { pipelineNamed } from "../deals/test-support";

const anyIso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

const followUp = {
  name: "Follow up",
  description: "  Tasks for new deals  ",
  object: "deal",
  trigger: { type: "record.created" },
  conditions: { match: "all", rules: [{ field: "value", operator: "gte", value: 1000 }] },
  actions: [{ type: "create_task", title: "Call about {{record.name}}", dueInDays: 2 }],
};

async function errorsOf(owner: TestTenant, body: Record<string, unknown>) {
  const problem = await expectProblem(
    await api("POST", "/api/v1/workflows", { token: owner.accessToken, body }),
    422,
    "VALIDATION_FAILED",
  );
  return problem.errors;
}

describe("/api/v1/workflows", () => {
  it("creates version 1 (inactive by default), reads, lists with filters, activates, deactivates and deletes", async () => {
    const owner = await signupTenant("Workflow owner");
    const created = await createWorkflow(owner, { ...followUp, active: undefined });
    expect(created).toEqual({
      id: expect.stringMatching(/^wf_[0-9a-z]{26}$/),
      name: "Follow up",
      description: "Tasks for new deals",
      active: false,
      version: 1,
      object: "deal",
      trigger: { type: "record.created" },
      conditions: followUp.conditions,
      actions: [
        {
          type: "create_task",
          title: "Call about {{record.name}}",
          dueInDays: 2,
          priority: "normal",
          assignee: { kind: "owner" },
        },
      ],
      signingSecret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      runCount: 0,
      failedCount: 0,
      lastRunAt: null,
      createdAt: anyIso,
      updatedAt: created.createdAt,
    });
    expect(() => new Webhook(created.signingSecret)).not.toThrow();
    expect(await call(owner, "GET", `/api/v1/workflows/${created.id}`)).toEqual(created);

    const other = await createWorkflow(owner, {
      name: "Tag 100% of contacts",
      object: "contact",
      trigger: { type: "record.updated" },
      actions: [{ type: "add_tag", tag: "x" }],
    });
    const ids = async (query: string) =>
      (await call(owner, "GET", `/api/v1/workflows${query}`)).data.map((w: { id: string }) => w.id);
    expect(await ids("")).toEqual([other.id, created.id]);
    expect(await ids("?active=true")).toEqual([other.id]);
    expect(await ids("?active=false")).toEqual([created.id]);
    expect(await ids("?object=deal")).toEqual([created.id]);
    expect(await ids("?q=FOLLOW")).toEqual([created.id]);
    // The search text's % and _ are literal characters, not wildcards.
    expect(await ids("?q=100%25")).toEqual([other.id]);
    expect(await ids("?q=0%25%20of")).toEqual([other.id]);
    expect(await ids("?q=_")).toEqual([]);
    const firstPage = await call(owner, "GET", "/api/v1/workflows?limit=1");
    expect(firstPage.nextCursor).toBe(other.id);
    expect(await ids(`?limit=1&cursor=${firstPage.nextCursor}`)).toEqual([created.id]);

    const on = await call(owner, "POST", `/api/v1/workflows/${created.id}/activate`);
    expect([on.active, on.version]).toEqual([true, 1]);
    const off = await call(owner, "POST", `/api/v1/workflows/${created.id}/deactivate`);
    expect(off.active).toBe(false);
    const audit = await call(owner, "GET", `/api/v1/audit-log?entityId=${created.id}`);
    expect(audit.data.map((e: { action: string }) => e.action)).toEqual(["update", "update", "create"]);
    expect(JSON.stringify(audit)).not.toContain(created.signingSecret);

    await call(owner, "DELETE", `/api/v1/workflows/${created.id}`, undefined, 204);
    await expectProblem(
      await api("GET", `/api/v1/workflows/${created.id}`, { token: owner.accessToken }),
      404,
      "NOT_FOUND",
    );
    expect(await ids("")).toEqual([other.id]);
  });

  it("refuses definitions that do not fit the tenant with 422 at each field", async () => {
    const owner = await signupTenant("Invalid workflows");
    const sales = await pipelineNamed(owner.accessToken, "Sales");
    const base = { name: "Bad", object: "contact", trigger: { type: "record.created" } };
    expect(
      await errorsOf(owner, {
        ...base,
        conditions: {
          rules: [
            { field: "shoeSize", operator: "equals", value: "9" },
            { field: "firstName", operator: "gt", value: 3 },
            { field: "lifecycleStage", operator: "equals", value: "vip" },
          ],
        },
        actions: [
          { type: "assign", mode: "user", userId: "us_nobody" },
          { type: "create_task", title: "Call {{record.nickname}}" },
          { type: "update_field", field: "createdAt", value: "2026-01-01" },
        ],
      }),
    ).toEqual([
      { path: "body.conditions.rules.0.field", message: "A contact has no field shoeSize" },
      {
        path: "body.conditions.rules.1.operator",
        message:
          "The operator gt does not apply to a text field; use one of equals, not_equals, contains, not_contains, starts_with, is_empty, is_not_empty",
      },
      {
        path: "body.conditions.rules.2.value",
        message: "Must be one of subscriber, lead, mql, sql, opportunity, customer, evangelist",
      },
      { path: "body.actions.0.userId", message: "No member of this organization has this user id" },
      { path: "body.actions.1.title", message: "The token {{record.nickname}} names no field of a contact" },
      { path: "body.actions.2.field", message: "createdAt cannot be set by a workflow" },
    ]);
    expect(
      await errorsOf(owner, {
        ...base,
        trigger: { type: "stage.entered", pipelineId: sales.id, stageId: sales.stages[0]!.id },
        actions: [{ type: "add_tag", tag: "x" }],
      }),
    ).toEqual([{ path: "body.trigger.type", message: "stage.entered applies to deals only (object must be deal)" }]);
    expect(
      await errorsOf(owner, {
        ...base,
        object: "deal",
        trigger: { type: "stage.entered", pipelineId: sales.id, stageId: "stg_notinthispipeline" },
        actions: [{ type: "add_tag", tag: "x" }],
      }),
    ).toEqual([{ path: "body.trigger.stageId", message: "This pipeline has no stage with this id" }]);
    const cron = await errorsOf(owner, {
      ...base,
      trigger: { type: "schedule", cron: "61 * * * *", timeZone: "UTC" },
      actions: [{ type: "add_tag", tag: "x" }],
    });
    expect(cron.map((e: { path: string }) => e.path)).toEqual(["body.trigger.cron"]);
    expect(cron[0].message).toMatch(/^Not a valid cron expression/);
    expect(
      await errorsOf(owner, {
        ...base,
        trigger: { type: "schedule", cron: "0 9 * * *", timeZone: "Mars/Olympus" },
        actions: [{ type: "wait", mode: "until_field", field: "firstName" }],
      }),
    ).toEqual([
      { path: "body.trigger.timeZone", message: "Unknown time zone Mars/Olympus" },
      { path: "body.actions.0.field", message: "firstName is not a date field" },
    ]);
    // The schema's own checks come first, with the same path style.
    const shape = await errorsOf(owner, { ...base, actions: [{ type: "assign", mode: "round_robin", userIds: [] }] });
    expect(shape.map((e: { path: string }) => e.path)).toEqual(["body.actions.0.userIds"]);
    // A PATCH that changes the definition is checked the same way; nothing is saved.
    const good = await createWorkflow(owner, { ...base, actions: [{ type: "add_tag", tag: "ok" }] });
    const patch = await expectProblem(
      await api("PATCH", `/api/v1/workflows/${good.id}`, {
        token: owner.accessToken,
        body: { actions: [{ type: "update_field", field: "nope", value: 1 }] },
      }),
      422,
    );
    expect(patch.errors).toEqual([{ path: "body.actions.0.field", message: "A contact has no field nope" }]);
    expect((await call(owner, "GET", `/api/v1/workflows/${good.id}`)).version).toBe(1);
  });

  it("lets any member read and only owners/admins write; API keys need workflows:read / workflows:write", async () => {
    const owner = await signupTenant("Workflow roles");
    const workflow = await createWorkflow(owner, followUp);
    const member = await addMember(owner, "member");
    expect((await call(member, "GET", "/api/v1/workflows")).data.map((w: { id: string }) => w.id)).toEqual([
      workflow.id,
    ]);
    await expectProblem(
      await api("POST", `/api/v1/workflows/${workflow.id}/deactivate`, { token: member.accessToken }),
      403,
      "FORBIDDEN",
    );
    const admin = await addMember(owner, "admin");
    expect((await call(admin, "POST", `/api/v1/workflows/${workflow.id}/deactivate`)).active).toBe(false);

    const reader = await createKey(owner, ["workflows:read"]);
    expect((await api("GET", `/api/v1/workflows/${workflow.id}`, { token: reader.key })).status).toBe(200);
    await expectProblem(
      await api("POST", "/api/v1/workflows", { token: reader.key, body: followUp }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    const writer = await createKey(owner, ["workflows:write"]);
    const byKey = await api("POST", "/api/v1/workflows", { token: writer.key, body: followUp });
    expect(byKey.status).toBe(201);
    expect((await json(byKey)).version).toBe(1);
    const contactsKey = await createKey(owner, ["contacts:read"]);
    await expectProblem(await api("GET", "/api/v1/workflows", { token: contactsKey.key }), 403, "INSUFFICIENT_SCOPE");
    // Notifications are a person's own: no API key reads them.
    await expectProblem(await api("GET", "/api/v1/notifications", { token: reader.key }), 403, "FORBIDDEN");
  });

  it("isolates tenants: 404 on every id, empty lists, and one tenant's events never start another's workflows", async () => {
    const a = await signupTenant("Tenant A");
    const b = await signupTenant("Tenant B");
    const workflow = await createWorkflow(a, {
      name: "A's welcome",
      object: "contact",
      trigger: { type: "record.created" },
      actions: [
        { type: "notify", recipient: { kind: "owner" }, message: "New contact {{record.firstName}}" },
        { type: "wait", mode: "duration", duration: { amount: 1, unit: "days" } },
      ],
    });
    const mine = await call(a, "POST", "/api/v1/contacts", { firstName: "Mine" }, 201);
    const [run] = await waitForExecutions(a, workflow.id, (runs) => runs[0]?.status === "waiting");
    const [notice] = (await call(a, "GET", "/api/v1/notifications")).data;
    expect(notice.recordId).toBe(mine.id);

    const theirs = await call(b, "POST", "/api/v1/contacts", { firstName: "Theirs" }, 201);
    await cronTick(Date.now() + 60_000);
    await drained(b.tenantId);
    await drained(a.tenantId);
    expect((await executionsOf(a, workflow.id)).map((r) => r.recordId)).toEqual([mine.id]);

    const paths: [string, string, unknown?][] = [
      ["GET", `/api/v1/workflows/${workflow.id}`],
      ["PATCH", `/api/v1/workflows/${workflow.id}`, { name: "Taken" }],
      ["POST", `/api/v1/workflows/${workflow.id}/activate`],
      ["POST", `/api/v1/workflows/${workflow.id}/deactivate`],
      ["GET", `/api/v1/workflows/${workflow.id}/versions`],
      ["POST", `/api/v1/workflows/${workflow.id}/run`, { recordId: theirs.id }],
      ["GET", `/api/v1/workflows/${workflow.id}/executions`],
      ["GET", `/api/v1/workflows/${workflow.id}/executions/${run!.id}`],
      ["POST", `/api/v1/workflows/${workflow.id}/executions/${run!.id}/cancel`],
      ["DELETE", `/api/v1/workflows/${workflow.id}`],
      ["POST", `/api/v1/notifications/${notice.id}/read`],
    ];
    for (const [method, path, body] of paths) {
      await expectProblem(await api(method, path, { token: b.accessToken, body }), 404, "NOT_FOUND");
    }
    expect(await call(b, "GET", "/api/v1/workflows")).toEqual({ data: [], nextCursor: null });
    expect((await call(b, "GET", "/api/v1/notifications")).data).toEqual([]);
    expect(await call(b, "POST", "/api/v1/notifications/read-all")).toEqual({ updated: 0 });
    // A's workflow cannot be run on B's record either.
    const foreign = await call(a, "POST", `/api/v1/workflows/${workflow.id}/run`, { recordId: theirs.id }, 422);
    expect(foreign.errors).toEqual([{ path: "body.recordId", message: "No contact of this organization has this id" }]);
    // Untouched by B's attempts.
    const after = await call(a, "GET", `/api/v1/workflows/${workflow.id}`);
    expect([after.name, after.active, after.runCount]).toEqual(["A's welcome", true, 1]);
    expect((await call(a, "GET", `/api/v1/workflows/${workflow.id}/executions/${run!.id}`)).status).toBe("waiting");
    expect((await call(a, "GET", "/api/v1/notifications")).unreadCount).toBe(1);
  });
});
