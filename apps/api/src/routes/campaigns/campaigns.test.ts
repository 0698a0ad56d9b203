import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant } from "../../../test/harness";
import { call, createContact, enrollmentsOf, seedSequence } from "./test-support";

const anyIso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

async function fieldErrors(token: string, method: string, path: string, body: unknown) {
  return (await expectProblem(await api(method, path, { token, body }), 422, "VALIDATION_FAILED")).errors;
}

describe("/api/v1/campaigns", () => {
  it("creates a draft, reads, lists with filters, changes, clones and deletes it", async () => {
    const owner = await signupTenant("Campaign owner");
    const { sequenceId } = await seedSequence(owner);
    const created = await call(
      owner,
      "POST",
      "/api/v1/campaigns",
      {
        name: "  Webinar follow-up ",
        description: "Leads from the webinar",
        sequenceId,
        audience: { lifecycleStage: "lead", tag: ["webinar"] },
        goal: { metric: "replies", target: 25 },
      },
      201,
    );
    expect(created).toEqual({
      id: expect.stringMatching(/^cmp_[0-9a-z]{26}$/),
      name: "Webinar follow-up",
      description: "Leads from the webinar",
      sequenceId,
      audience: { lifecycleStage: "lead", tag: ["webinar"] },
      goal: { metric: "replies", target: 25 },
      status: "draft",
      enrolled: 0,
      clonedFrom: null,
      startedAt: null,
      pausedAt: null,
      completedAt: null,
      createdBy: expect.stringMatching(/^us_/),
      createdAt: anyIso,
      updatedAt: created.createdAt,
    });
    expect(await call(owner, "GET", `/api/v1/campaigns/${created.id}`)).toEqual(created);

    const changed = await call(owner, "PATCH", `/api/v1/campaigns/${created.id}`, {
      name: "Webinar leads",
      audience: { lifecycleStage: "lead" },
      goal: null,
    });
    expect([changed.name, changed.audience, changed.goal, changed.description]).toEqual([
      "Webinar leads",
      { lifecycleStage: "lead" },
      null,
      "Leads from the webinar",
    ]);

    const copy = await call(owner, "POST", `/api/v1/campaigns/${created.id}/clone`, {}, 201);
    expect([copy.name, copy.status, copy.clonedFrom, copy.sequenceId, copy.audience]).toEqual([
      "Webinar leads (copy)",
      "draft",
      created.id,
      sequenceId,
      { lifecycleStage: "lead" },
    ]);
    const named = await call(owner, "POST", `/api/v1/campaigns/${created.id}/clone`, { name: "Second wave" }, 201);
    expect(named.name).toBe("Second wave");

    const ids = async (query: string) =>
      (await call(owner, "GET", `/api/v1/campaigns${query}`)).data.map((c: { id: string }) => c.id);
    expect(await ids("")).toEqual([named.id, copy.id, created.id]);
    expect(await ids("?q=COPY")).toEqual([copy.id]);
    expect(await ids("?status=running")).toEqual([]);
    expect(await ids(`?sequenceId=${sequenceId}&limit=2`)).toEqual([named.id, copy.id]);
    const page = await call(owner, "GET", "/api/v1/campaigns?limit=2");
    expect(page.nextCursor).toBe(copy.id);
    expect(await ids(`?limit=2&cursor=${page.nextCursor}`)).toEqual([created.id]);

    await call(owner, "DELETE", `/api/v1/campaigns/${copy.id}`, undefined, 204);
    await expectProblem(
      await api("GET", `/api/v1/campaigns/${copy.id}`, { token: owner.accessToken }),
      404,
      "NOT_FOUND",
    );
    expect(await ids("")).toEqual([named.id, created.id]);

    const audit = await env.DB.prepare(
      "select action from audit_log where tenant_id = ? and entity = 'campaign' and entity_id = ? order by id",
    )
      .bind(owner.tenantId, created.id)
      .all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(["create", "update"]);
  });

  it("refuses bad input with the field at fault", async () => {
    const owner = await signupTenant("Campaign errors");
    const other = await signupTenant("Someone else");
    const { sequenceId } = await seedSequence(owner);
    const { sequenceId: archived } = await seedSequence(owner, { status: "archived" });
    const { sequenceId: foreign } = await seedSequence(other);
    const post = (body: Record<string, unknown>) =>
      fieldErrors(owner.accessToken, "POST", "/api/v1/campaigns", { name: "X", sequenceId, audience: {}, ...body });

    expect(await post({ sequenceId: foreign })).toEqual([
      { path: "body.sequenceId", message: "No sequence has this id" },
    ]);
    expect(await post({ sequenceId: archived })).toEqual([
      { path: "body.sequenceId", message: "This sequence is archived" },
    ]);
    expect(await post({ audience: { lifecycleStage: "vip", doNotContact: "maybe", colour: "red" } })).toEqual([
      { path: "body.audience.colour", message: expect.stringMatching(/^Not a contact filter; use q, ownerId, tag/) },
      {
        path: "body.audience.lifecycleStage",
        message: "Must be one of subscriber, lead, mql, sql, opportunity, customer, evangelist",
      },
      { path: "body.audience.doNotContact", message: "Must be true or false" },
    ]);
    expect(await post({ audience: { "cf.plan": "pro" } })).toEqual([
      { path: "body.audience.cf.plan", message: "No custom field has this key" },
    ]);
    expect(await post({ audience: { createdFrom: "yesterday" } })).toEqual([
      { path: "body.audience.createdFrom", message: "Must be an ISO 8601 date-time" },
    ]);
    const missing = await fieldErrors(owner.accessToken, "POST", "/api/v1/campaigns", { audience: {} });
    expect(missing.map((e: { path: string }) => e.path)).toEqual(["body.name", "body.sequenceId"]);
    expect(await post({ goal: { metric: "likes", target: 3 } })).toEqual([
      { path: "body.goal.metric", message: expect.any(String) },
    ]);
  });

  it("starts by enrolling the audience, pauses and resumes its enrollments, completes when none is live", async () => {
    const owner = await signupTenant("Campaign start");
    const { sequenceId, steps } = await seedSequence(owner, { delays: [[3, "hours"]] });
    const lead = (firstName: string, extra: Record<string, unknown> = {}) =>
      createContact(owner, {
        firstName,
        lifecycleStage: "lead",
        emails: [{ address: `${firstName}@example.com` }],
        ...extra,
      });
    const ada = await lead("ada");
    const bob = await lead("bob");
    const dnc = await lead("dan", { doNotContact: true });
    const optedOut = await lead("olive", { consent: { status: "opted_out" } });
    const live = await lead("liv");
    await createContact(owner, { firstName: "Cy", lifecycleStage: "customer" });
    // Liv is already in the sequence (enrolled by hand): the campaign leaves her as she is.
    await env.DB.prepare(
      `insert into sequence_enrollments (id, tenant_id, sequence_id, contact_id, status, source, enrolled_by, created_at, updated_at)
       values ('enr_manual', ?, ?, ?, 'active', 'manual', 'us_x', 1, 1)`,
    )
      .bind(owner.tenantId, sequenceId, live.id)
      .run();
    const campaign = await call(
      owner,
      "POST",
      "/api/v1/campaigns",
      { name: "Leads", sequenceId, audience: { lifecycleStage: "lead" } },
      201,
    );

    const started = await call(owner, "POST", `/api/v1/campaigns/${campaign.id}/start`);
    expect(started).toEqual({
      campaign: {
        ...campaign,
        status: "running",
        enrolled: 2,
        startedAt: anyIso,
        updatedAt: started.campaign.startedAt,
      },
      matched: 5,
      enrolled: 2,
      alreadyEnrolled: 1,
      skipped: expect.arrayContaining([
        { contactId: dnc.id, reason: "do_not_contact" },
        { contactId: optedOut.id, reason: "opted_out" },
      ]),
    });
    expect(started.skipped).toHaveLength(2);
    const startedAt = Date.parse(started.campaign.startedAt);
    const enrolled = await enrollmentsOf(owner.tenantId, campaign.id);
    expect(enrolled).toEqual(
      [ada, bob]
        .map((c) => ({
          contactId: c.id,
          status: "active",
          source: "campaign",
          campaignId: campaign.id,
          nextStepId: steps[0]!.id,
          dueAt: startedAt + 3 * 3600 * 1000,
          pausedAt: null,
          enrolledBy: started.campaign.createdBy,
          sequenceId,
        }))
        .sort((a, b) => a.contactId.localeCompare(b.contactId)),
    );
    expect((await call(owner, "GET", `/api/v1/campaigns/${campaign.id}`)).enrolled).toBe(2);

    const again = await expectProblem(
      await api("POST", `/api/v1/campaigns/${campaign.id}/start`, { token: owner.accessToken }),
      409,
      "CONFLICT",
    );
    expect(again.detail).toBe("Only a draft campaign can be started; this one is running");
    expect(
      await fieldErrors(owner.accessToken, "PATCH", `/api/v1/campaigns/${campaign.id}`, {
        audience: { lifecycleStage: "customer" },
      }),
    ).toEqual([{ path: "body.audience", message: "Only a draft campaign's can change" }]);
    await expectProblem(
      await api("DELETE", `/api/v1/campaigns/${campaign.id}`, { token: owner.accessToken }),
      409,
      "CONFLICT",
    );

    // Bob's enrollment was paused by hand earlier: the campaign's resume must leave it paused.
    await env.DB.prepare(
      "update sequence_enrollments set status = 'paused', paused_at = 5 where tenant_id = ? and contact_id = ?",
    )
      .bind(owner.tenantId, bob.id)
      .run();
    const paused = await call(owner, "POST", `/api/v1/campaigns/${campaign.id}/pause`);
    expect([paused.status, paused.pausedAt]).toEqual(["paused", anyIso]);
    const statusOf = async () =>
      Object.fromEntries(
        (await enrollmentsOf(owner.tenantId, campaign.id)).map((e) => [e.contactId, [e.status, e.pausedAt]]),
      );
    expect(await statusOf()).toEqual({ [ada.id]: ["paused", Date.parse(paused.pausedAt)], [bob.id]: ["paused", 5] });
    await expectProblem(
      await api("POST", `/api/v1/campaigns/${campaign.id}/pause`, { token: owner.accessToken }),
      409,
      "CONFLICT",
    );
    const resumed = await call(owner, "POST", `/api/v1/campaigns/${campaign.id}/resume`);
    expect([resumed.status, resumed.pausedAt]).toEqual(["running", null]);
    expect(await statusOf()).toEqual({ [ada.id]: ["active", null], [bob.id]: ["paused", 5] });

    // Every enrollment finished: the campaign reads as completed.
    await env.DB.prepare("update sequence_enrollments set status = 'completed' where tenant_id = ? and campaign_id = ?")
      .bind(owner.tenantId, campaign.id)
      .run();
    const done = await call(owner, "GET", `/api/v1/campaigns/${campaign.id}`);
    expect([done.status, done.completedAt]).toEqual(["completed", anyIso]);
    expect(
      (await call(owner, "GET", "/api/v1/campaigns?status=completed")).data.map((c: { id: string }) => c.id),
    ).toEqual([campaign.id]);

    // A paused campaign can be deleted; its enrollments end.
    const second = await call(owner, "POST", `/api/v1/campaigns/${campaign.id}/clone`, { name: "Again" }, 201);
    await env.DB.prepare("update sequence_enrollments set status = 'exited' where tenant_id = ?")
      .bind(owner.tenantId)
      .run();
    const secondStart = await call(owner, "POST", `/api/v1/campaigns/${second.id}/start`);
    expect([secondStart.enrolled, secondStart.alreadyEnrolled]).toEqual([3, 0]);
    await call(owner, "POST", `/api/v1/campaigns/${second.id}/pause`);
    await call(owner, "DELETE", `/api/v1/campaigns/${second.id}`, undefined, 204);
    expect((await enrollmentsOf(owner.tenantId, second.id)).map((e) => e.status)).toEqual([
      "unenrolled",
      "unenrolled",
      "unenrolled",
    ]);
  });

  it("refuses to start a campaign whose audience matches nobody or whose sequence has no steps", async () => {
    const owner = await signupTenant("Campaign empty");
    const { sequenceId } = await seedSequence(owner);
    const { sequenceId: empty } = await seedSequence(owner, { steps: [] });
    await createContact(owner, { firstName: "Ada", lifecycleStage: "lead" });
    const nobody = await call(
      owner,
      "POST",
      "/api/v1/campaigns",
      { name: "Nobody", sequenceId, audience: { lifecycleStage: "evangelist" } },
      201,
    );
    const problem = await expectProblem(
      await api("POST", `/api/v1/campaigns/${nobody.id}/start`, { token: owner.accessToken }),
      409,
      "CONFLICT",
    );
    expect(problem.detail).toBe(`Campaign ${nobody.id} cannot start: its audience matches no contacts`);
    const stepless = await call(
      owner,
      "POST",
      "/api/v1/campaigns",
      { name: "No steps", sequenceId: empty, audience: {} },
      201,
    );
    expect(
      (
        await expectProblem(
          await api("POST", `/api/v1/campaigns/${stepless.id}/start`, { token: owner.accessToken }),
          409,
          "CONFLICT",
        )
      ).detail,
    ).toBe(`Sequence ${empty} has no steps to send`);
    expect((await call(owner, "GET", `/api/v1/campaigns/${stepless.id}`)).status).toBe("draft");
  });

  it("keeps tenants apart and checks API key scopes", async () => {
    const owner = await signupTenant("Campaign tenant A");
    const other = await signupTenant("Campaign tenant B");
    const { sequenceId } = await seedSequence(owner);
    await createContact(owner, { firstName: "Ada" });
    const mine = await call(owner, "POST", "/api/v1/campaigns", { name: "Mine", sequenceId, audience: {} }, 201);
    await call(owner, "POST", `/api/v1/campaigns/${mine.id}/start`);
    const { sequenceId: theirSequence } = await seedSequence(other);
    const theirs = await call(
      other,
      "POST",
      "/api/v1/campaigns",
      { name: "Theirs", sequenceId: theirSequence, audience: {} },
      201,
    );

    for (const [method, path, body] of [
      ["GET", `/api/v1/campaigns/${mine.id}`],
      ["PATCH", `/api/v1/campaigns/${mine.id}`, { name: "Stolen" }],
      ["DELETE", `/api/v1/campaigns/${mine.id}`],
      ["POST", `/api/v1/campaigns/${mine.id}/pause`],
      ["POST", `/api/v1/campaigns/${mine.id}/resume`],
      ["POST", `/api/v1/campaigns/${mine.id}/start`],
      ["POST", `/api/v1/campaigns/${mine.id}/clone`, {}],
      ["GET", `/api/v1/campaigns/${mine.id}/analytics`],
      ["GET", `/api/v1/campaigns/${mine.id}/timeseries`],
      ["GET", `/api/v1/campaigns/compare?ids=${mine.id},${theirs.id}`],
    ] as const) {
      await expectProblem(await api(method, path, { token: other.accessToken, body }), 404, "NOT_FOUND");
    }
    expect((await call(other, "GET", "/api/v1/campaigns")).data.map((c: { id: string }) => c.id)).toEqual([theirs.id]);
    expect((await call(owner, "GET", `/api/v1/campaigns/${mine.id}`)).status).toBe("running");
    expect((await call(owner, "GET", `/api/v1/campaigns/${mine.id}`)).name).toBe("Mine");

    const reader = await createKey(owner, ["campaigns:read"]);
    const list = await api("GET", "/api/v1/campaigns", { token: reader.key });
    expect(list.status).toBe(200);
    expect((await json(list)).data.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    await expectProblem(
      await api("POST", "/api/v1/campaigns", { token: reader.key, body: { name: "X", sequenceId, audience: {} } }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    const contactsKey = await createKey(owner, ["contacts:read"]);
    await expectProblem(await api("GET", "/api/v1/campaigns", { token: contactsKey.key }), 403, "INSUFFICIENT_SCOPE");
    await expectProblem(await api("GET", "/api/v1/campaigns"), 401, "UNAUTHORIZED");
  });

  it("test-sends step 1 rendered for a contact to a given address, outside analytics", async () => {
    const owner = await signupTenant("Campaign test send");
    const other = await signupTenant("Test send other");
    const { sequenceId, steps } = await seedSequence(owner, {
      steps: [
        [
          {
            key: "A",
            weight: 50,
            subject: "Hi {{contact.firstName|there}} at {{company.name|your company}}",
            body: "Hello {{contact.fullName}}, from {{sender.name|the team}}",
          },
          { key: "B", weight: 50, subject: "Hey {{contact.firstName|there}}", body: "Short one" },
        ],
      ],
    });
    const acme = await call(owner, "POST", "/api/v1/companies", { name: "Acme" }, 201);
    const ada = await createContact(owner, { firstName: "Ada", lastName: "Lovelace", companyId: acme.id });
    const nameless = await createContact(owner, { emails: [{ address: "x@example.com" }] });
    const foreign = await createContact(other, { firstName: "Eve" });
    const campaign = await call(owner, "POST", "/api/v1/campaigns", { name: "Test", sequenceId, audience: {} }, 201);
    const to = `me.${Date.now().toString(36)}@example.com`;

    const sent = await call(owner, "POST", `/api/v1/campaigns/${campaign.id}/test-send`, { contactId: ada.id, to });
    expect(sent).toEqual({
      messageId: expect.stringMatching(/^om_/),
      to,
      from: null,
      subject: "[Test] Hi Ada at Acme",
      // No mailbox sender name: the sender is the organization, as in real sends.
      text: "Hello Ada Lovelace, from Campaign test send",
      stepId: steps[0]!.id,
      variantKey: "A",
      transport: "dev-outbox",
      sentAt: anyIso,
    });
    const b = await call(owner, "POST", `/api/v1/campaigns/${campaign.id}/test-send`, {
      contactId: nameless.id,
      to,
      variantKey: "B",
    });
    expect([b.subject, b.text, b.variantKey]).toEqual(["[Test] Hey there", "Short one", "B"]);
    const outbox = await json(await api("GET", `/api/v1/dev/outbox?to=${encodeURIComponent(to)}`));
    expect(
      outbox.data.map((m: { subject: string; text: string; kind: string }) => [m.kind, m.subject, m.text]),
    ).toEqual([
      ["campaign_test", "[Test] Hey there", "Short one"],
      ["campaign_test", "[Test] Hi Ada at Acme", "Hello Ada Lovelace, from Campaign test send"],
    ]);
    const analytics = await call(owner, "GET", `/api/v1/campaigns/${campaign.id}/analytics`);
    expect([analytics.totals.sent, analytics.steps[0].variants[0].sent, analytics.steps[0].variants[1].sent]).toEqual([
      0, 0, 0,
    ]);

    const path = `/api/v1/campaigns/${campaign.id}/test-send`;
    expect(await fieldErrors(owner.accessToken, "POST", path, { contactId: foreign.id, to })).toEqual([
      { path: "body.contactId", message: "No contact has this id" },
    ]);
    expect(await fieldErrors(owner.accessToken, "POST", path, { contactId: ada.id, to, variantKey: "Z" })).toEqual([
      { path: "body.variantKey", message: "Step 1's variants: A, B" },
    ]);
    expect((await fieldErrors(owner.accessToken, "POST", path, { contactId: ada.id, to: "nope" }))[0].path).toBe(
      "body.to",
    );
    await expectProblem(
      await api("POST", path, { token: other.accessToken, body: { contactId: foreign.id, to } }),
      404,
      "NOT_FOUND",
    );
  });
});
