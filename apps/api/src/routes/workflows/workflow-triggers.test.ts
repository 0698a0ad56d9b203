import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signupTenant } from "../../../test/harness";
import { addMember, mailTo } from "../../../test/people";
import { eventually, receiver } from "../../../test/webhooks";
import { call, createWorkflow, drained, executionOf, executionsOf, waitForExecutions } from "../../../test/workflows";
import { pipelineNamed, stageNamed } from "../deals/test-support";

const statuses = (runs: { status: string }[]) => runs.map((r) => r.status).sort();

describe("workflow triggers and loop protection", () => {
  it("two workflows feeding each other stop at chain depth 3, with a visible skipped run each", async () => {
    const owner = await signupTenant("Ping pong");
    const a = await createWorkflow(owner, {
      name: "A sets the title",
      object: "contact",
      trigger: { type: "record.updated" },
      actions: [{ type: "update_field", field: "title", value: "A {{record.updatedAt}}" }],
    });
    const b = await createWorkflow(owner, {
      name: "B sets the lead status",
      object: "contact",
      trigger: { type: "record.updated" },
      actions: [{ type: "update_field", field: "leadStatus", value: "B {{record.updatedAt}}" }],
    });
    const contact = await call(owner, "POST", "/api/v1/contacts", { firstName: "Loop" }, 201);
    await call(owner, "PATCH", `/api/v1/contacts/${contact.id}`, { source: "web" });
    await waitForExecutions(owner, a.id, (runs) => runs.length === 4);
    await drained(owner.tenantId);
    // Depth 0 (the person's update), 1 and 2 run; the events of depth-2 runs start nothing but a skipped run.
    for (const workflow of [a, b]) {
      const runs = await executionsOf(owner, workflow.id);
      expect(statuses(runs)).toEqual(["skipped", "succeeded", "succeeded", "succeeded"]);
      expect(runs.find((r) => r.status === "skipped")?.error).toBe(
        "loop protection: this event comes from a chain of 3 workflow runs",
      );
    }
  });

  it("a workflow runs at most 10 times an hour on one record; the 11th trigger is a skipped run", async () => {
    const owner = await signupTenant("Busy record");
    const workflow = await createWorkflow(owner, {
      name: "Count updates",
      object: "contact",
      trigger: { type: "record.updated" },
      actions: [{ type: "add_tag", tag: "seen" }],
    });
    const contact = await call(owner, "POST", "/api/v1/contacts", { firstName: "Busy" }, 201);
    for (let i = 1; i <= 11; i++) await call(owner, "PATCH", `/api/v1/contacts/${contact.id}`, { source: `v${i}` });
    await waitForExecutions(owner, workflow.id, (runs) => runs.length === 11);
    await drained(owner.tenantId);
    const runs = await executionsOf(owner, workflow.id);
    expect(runs.filter((r) => r.status === "succeeded")).toHaveLength(10);
    expect(runs.filter((r) => r.status === "skipped").map((r) => r.error)).toEqual([
      "loop protection: this workflow already ran 10 times on this record in the last hour",
    ]);
    const fetched = await call(owner, "GET", `/api/v1/workflows/${workflow.id}`);
    expect([fetched.runCount, fetched.failedCount]).toEqual([10, 0]);
  });

  it("field.changed fires only for the from/to change it names", async () => {
    const owner = await signupTenant("Field change");
    const workflow = await createWorkflow(owner, {
      name: "Became a customer",
      object: "contact",
      trigger: { type: "field.changed", field: "lifecycleStage", from: "sql", to: "customer" },
      actions: [{ type: "add_tag", tag: "won-customer" }],
    });
    const x = await call(owner, "POST", "/api/v1/contacts", { firstName: "X", lifecycleStage: "lead" }, 201);
    const y = await call(owner, "POST", "/api/v1/contacts", { firstName: "Y", lifecycleStage: "sql" }, 201);
    await call(owner, "PATCH", `/api/v1/contacts/${x.id}`, { lifecycleStage: "customer" }); // from lead: no
    await call(owner, "PATCH", `/api/v1/contacts/${y.id}`, { title: "CTO" }); // another field: no
    await call(owner, "PATCH", `/api/v1/contacts/${y.id}`, { lifecycleStage: "customer" }); // sql → customer: yes
    await waitForExecutions(owner, workflow.id, (runs) => runs[0]?.status === "succeeded");
    await drained(owner.tenantId);
    const runs = await executionsOf(owner, workflow.id);
    expect(runs.map((r) => [r.recordId, r.status])).toEqual([[y.id, "succeeded"]]);
    expect((await call(owner, "GET", `/api/v1/contacts/${y.id}`)).tags).toEqual(["won-customer"]);
    expect((await call(owner, "GET", `/api/v1/contacts/${x.id}`)).tags).toEqual([]);
  });

  it("stage.entered fires when a deal moves into the stage; any/all conditions narrow it", async () => {
    const owner = await signupTenant("Stages");
    const sales = await pipelineNamed(owner.accessToken, "Sales");
    const negotiating = stageNamed(sales, "Negotiating");
    const anyRule = await createWorkflow(owner, {
      name: "Big or tagged",
      object: "deal",
      trigger: { type: "stage.entered", pipelineId: sales.id, stageId: negotiating.id },
      conditions: {
        match: "any",
        rules: [
          { field: "value", operator: "gte", value: 10000 },
          { field: "tags", operator: "has_tag", value: "vip" },
        ],
      },
      actions: [{ type: "add_tag", tag: "any-matched" }],
    });
    const allRule = await createWorkflow(owner, {
      name: "Big and tagged",
      object: "deal",
      trigger: { type: "stage.entered", pipelineId: sales.id, stageId: negotiating.id },
      conditions: {
        match: "all",
        rules: [
          { field: "value", operator: "gte", value: 10000 },
          { field: "tags", operator: "has_tag", value: "vip" },
        ],
      },
      actions: [{ type: "add_tag", tag: "all-matched" }],
    });
    const small = await call(owner, "POST", "/api/v1/deals", { name: "Small", value: 10, pipelineId: sales.id }, 201);
    const bigVip = await call(
      owner,
      "POST",
      "/api/v1/deals",
      { name: "Big VIP", value: 50000, tags: ["vip"], pipelineId: sales.id },
      201,
    );
    const big = await call(owner, "POST", "/api/v1/deals", { name: "Big", value: 50000, pipelineId: sales.id }, 201);
    for (const deal of [small, bigVip, big]) {
      await call(owner, "POST", `/api/v1/deals/${deal.id}/move-stage`, { stageId: negotiating.id });
    }
    await waitForExecutions(owner, anyRule.id, (runs) => runs.filter((r) => r.status === "succeeded").length === 2);
    await drained(owner.tenantId);
    const anyRuns = await executionsOf(owner, anyRule.id);
    expect(anyRuns.map((r) => r.recordId).sort()).toEqual([bigVip.id, big.id].sort());
    expect(anyRuns.every((r) => r.cause.eventType === "deal.stage_changed")).toBe(true);
    expect((await executionsOf(owner, allRule.id)).map((r) => r.recordId)).toEqual([bigVip.id]);
    expect((await call(owner, "GET", `/api/v1/deals/${bigVip.id}`)).tags.sort()).toEqual(
      ["all-matched", "any-matched", "vip"].sort(),
    );
    expect((await call(owner, "GET", `/api/v1/deals/${small.id}`)).tags).toEqual([]);
  });

  it("round-robin assignment rotates over three members: a, b, c, a", async () => {
    const owner = await signupTenant("Round robin");
    const people = [
      await addMember(owner, "member"),
      await addMember(owner, "member"),
      await addMember(owner, "member"),
    ];
    const ids = people.map((p) => p.userId);
    const workflow = await createWorkflow(owner, {
      name: "Share new leads",
      object: "lead",
      trigger: { type: "record.created" },
      actions: [{ type: "assign", mode: "round_robin", userIds: ids }],
    });
    const leads = [];
    for (let i = 0; i < 4; i++) {
      leads.push(await call(owner, "POST", "/api/v1/leads", { firstName: `Lead ${i}` }, 201));
      // One at a time, so the rotation order is the creation order.
      await waitForExecutions(
        owner,
        workflow.id,
        (runs) => runs.filter((r) => r.status === "succeeded").length === i + 1,
      );
    }
    const owners = [];
    for (const lead of leads) owners.push((await call(owner, "GET", `/api/v1/leads/${lead.id}`)).ownerId);
    expect(owners).toEqual([ids[0], ids[1], ids[2], ids[0]]);
  });

  it("send_email lands in the dev outbox; notify reaches that member only; call_webhook is signed", async () => {
    const owner = await signupTenant("Messages");
    const rep = await addMember(owner, "member");
    const other = await addMember(owner, "member");
    const target = await receiver();
    const workflow = await createWorkflow(owner, {
      name: "Welcome",
      object: "contact",
      trigger: { type: "record.created" },
      actions: [
        {
          type: "send_email",
          to: { kind: "record" },
          subject: "Hello {{record.firstName|there}}",
          body: "Welcome aboard, {{record.firstName}} {{record.lastName|}}!",
        },
        {
          type: "notify",
          recipient: { kind: "user", userId: rep.userId },
          message: "New contact {{record.firstName}}",
        },
        { type: "call_webhook", url: target.url },
      ],
    });
    const address = `welcome.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const contact = await call(owner, "POST", "/api/v1/contacts", { firstName: "Grace", emails: [{ address }] }, 201);
    const [run] = await waitForExecutions(owner, workflow.id, (runs) => runs[0]?.status === "succeeded");

    const mail = await mailTo(address);
    expect(mail.map((m) => [m.kind, m.subject, m.text])).toEqual([
      ["workflow", "Hello Grace", "Welcome aboard, Grace !"],
    ]);

    const repInbox = await call(rep, "GET", "/api/v1/notifications");
    expect(repInbox).toEqual({
      data: [
        {
          id: expect.stringMatching(/^ntf_/),
          message: "New contact Grace",
          recordType: "contact",
          recordId: contact.id,
          workflowId: workflow.id,
          readAt: null,
          createdAt: expect.any(String),
        },
      ],
      nextCursor: null,
      unreadCount: 1,
    });
    expect(await call(other, "GET", "/api/v1/notifications")).toEqual({ data: [], nextCursor: null, unreadCount: 0 });
    expect(await call(owner, "GET", "/api/v1/notifications")).toEqual({ data: [], nextCursor: null, unreadCount: 0 });
    const read = await call(rep, "POST", `/api/v1/notifications/${repInbox.data[0].id}/read`);
    expect(read.readAt).toEqual(expect.any(String));
    expect((await call(rep, "GET", "/api/v1/notifications?unread=true")).unreadCount).toBe(0);
    // Another member cannot read it: 404, as for an id that does not exist.
    const stranger = await call(other, "POST", `/api/v1/notifications/${repInbox.data[0].id}/read`, undefined, 404);
    expect(stranger.code).toBe("NOT_FOUND");

    const [received] = await eventually(target.received, (r) => r.length === 1);
    const verified = new Webhook(workflow.signingSecret).verify(received!.body, {
      "webhook-id": received!.headers["webhook-id"]!,
      "webhook-timestamp": received!.headers["webhook-timestamp"]!,
      "webhook-signature": received!.headers["webhook-signature"]!,
    }) as {
      type: string;
      data: { workflowId: string; executionId: string; record: { id: string; firstName: string } };
    };
    expect(verified.type).toBe("workflow.webhook");
    expect(verified.data).toMatchObject({
      workflowId: workflow.id,
      executionId: run!.id,
      record: { id: contact.id, firstName: "Grace" },
    });
    const steps = (await executionOf(owner, workflow.id, run!.id)).steps;
    expect(steps.map((s: { actionType: string; status: string }) => [s.actionType, s.status])).toEqual([
      ["send_email", "succeeded"],
      ["notify", "succeeded"],
      ["call_webhook", "succeeded"],
    ]);
    expect(steps[2].output).toMatchObject({ statusCode: 200, url: target.url });
  });

  it("a validation failure fails the step and the run with the API's message, and sends workflow.failed", async () => {
    const owner = await signupTenant("Bad write");
    const target = await receiver();
    const hook = await call(
      owner,
      "POST",
      "/api/v1/webhooks",
      { url: target.url, eventTypes: ["workflow.failed"] },
      201,
    );
    const workflow = await createWorkflow(owner, {
      name: "Too long",
      object: "contact",
      trigger: { type: "record.created" },
      actions: [
        { type: "update_field", field: "leadStatus", value: "x{{record.firstName}}".repeat(3) },
        { type: "add_tag", tag: "never" },
      ],
    });
    const contact = await call(owner, "POST", "/api/v1/contacts", { firstName: "y".repeat(30) }, 201);
    const [run] = await waitForExecutions(owner, workflow.id, (runs) => runs[0]?.status === "failed");
    const failed = await executionOf(owner, workflow.id, run!.id);
    const message =
      "The request has invalid fields (body.leadStatus: Too big: expected string to have <=50 characters)";
    expect(failed.error).toBe(`Step 1 (update_field) failed: ${message}`);
    expect(failed.steps.map((s: { status: string; error: string | null }) => [s.status, s.error])).toEqual([
      ["failed", message],
    ]);
    expect((await call(owner, "GET", `/api/v1/contacts/${contact.id}`)).tags).toEqual([]);
    expect((await call(owner, "GET", `/api/v1/workflows/${workflow.id}`)).failedCount).toBe(1);

    const [delivery] = await eventually(target.received, (r) => r.length === 1);
    const event = new Webhook(hook.secret).verify(delivery!.body, {
      "webhook-id": delivery!.headers["webhook-id"]!,
      "webhook-timestamp": delivery!.headers["webhook-timestamp"]!,
      "webhook-signature": delivery!.headers["webhook-signature"]!,
    }) as { type: string; data: Record<string, unknown> };
    expect(event).toMatchObject({
      type: "workflow.failed",
      data: {
        workflowId: workflow.id,
        workflowName: "Too long",
        executionId: run!.id,
        version: 1,
        recordType: "contact",
        recordId: contact.id,
        step: 0,
        actionType: "update_field",
        error: `Step 1 (update_field) failed: ${message}`,
      },
    });
  });
});
