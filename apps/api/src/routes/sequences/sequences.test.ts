import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant } from "../../../test/harness";
import { call, createContact, sequenceBody } from "../../../test/outreach";

describe("sequences API", () => {
  it("creates, reads, lists, updates (keeping unchanged steps' ids) and deletes a sequence", async () => {
    const owner = await signupTenant("Seq CRUD");
    const created = await call(
      owner,
      "POST",
      "/api/v1/sequences",
      sequenceBody({ defaultTimeZone: "Europe/Paris" }),
      201,
    );
    expect(created).toMatchObject({
      name: "Trial follow-up",
      status: "active",
      mailboxId: null,
      defaultTimeZone: "Europe/Paris",
      sendWindow: { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" },
      exitRules: { onReply: true, onBounce: true, onUnsubscribe: true, onDealWon: true, onMeetingBooked: true },
    });
    expect(created.id).toMatch(/^seq_/);
    expect(
      created.steps.map((s: { position: number; channel: string; delayAmount: number; delayUnit: string }) => [
        s.position,
        s.channel,
        s.delayAmount,
        s.delayUnit,
      ]),
    ).toEqual([
      [1, "email", 0, "days"],
      [2, "email", 12, "hours"],
    ]);
    expect(await call(owner, "GET", `/api/v1/sequences/${created.id}`)).toEqual(created);
    expect((await call(owner, "GET", "/api/v1/sequences")).data.map((s: { id: string }) => s.id)).toEqual([created.id]);

    const [first, second] = created.steps;
    // Step 2 unchanged (no id given) keeps its id; step 1 given by id is changed in place; a new third step.
    const updated = await call(owner, "PATCH", `/api/v1/sequences/${created.id}`, {
      name: "Renamed",
      steps: [
        {
          id: first.id,
          delayAmount: 1,
          variants: [{ key: "A", weight: 100, subject: "New subject", body: "New body" }],
        },
        {
          delayAmount: 12,
          delayUnit: "hours",
          variants: [{ key: "A", weight: 100, subject: "Following up, {{contact.firstName|there}}", body: "Step two" }],
        },
        {
          delayAmount: 3,
          delayUnit: "business_days",
          variants: [
            { key: "A", weight: 60, subject: "Last try", body: "B1" },
            { key: "B", weight: 40, subject: "Still there?", body: "B2" },
          ],
        },
      ],
    });
    expect(updated.name).toBe("Renamed");
    expect(updated.steps.map((s: { id: string }) => s.id).slice(0, 2)).toEqual([first.id, second.id]);
    expect(updated.steps[0]).toMatchObject({
      delayAmount: 1,
      variants: [{ key: "A", weight: 100, subject: "New subject", body: "New body" }],
    });
    expect(updated.steps[2].id).toMatch(/^sqs_/);
    expect(updated.steps[2].id).not.toBe(first.id);

    // Dropping step 2 retires it; step 3 moves up to position 2.
    const shorter = await call(owner, "PATCH", `/api/v1/sequences/${created.id}`, {
      steps: [updated.steps[0], updated.steps[2]].map(({ position: _p, ...s }: { position: number }) => s),
    });
    expect(shorter.steps.map((s: { id: string; position: number }) => [s.id, s.position])).toEqual([
      [first.id, 1],
      [updated.steps[2].id, 2],
    ]);

    // PUT replaces the whole sequence: what it leaves out returns to the defaults.
    await call(owner, "PATCH", `/api/v1/sequences/${created.id}`, {
      description: "Kept?",
      defaultTimeZone: "Asia/Tokyo",
    });
    const replaced = await call(owner, "PUT", `/api/v1/sequences/${created.id}`, {
      name: "Replaced",
      steps: [{ variants: [{ key: "A", weight: 100, subject: "New subject", body: "New body" }], delayAmount: 1 }],
    });
    expect([replaced.name, replaced.description, replaced.defaultTimeZone]).toEqual(["Replaced", null, "UTC"]);
    expect(replaced.steps.map((s: { id: string }) => s.id)).toEqual([first.id]);

    await call(owner, "DELETE", `/api/v1/sequences/${created.id}`, undefined, 204);
    await expectProblem(
      await api("GET", `/api/v1/sequences/${created.id}`, { token: owner.accessToken }),
      404,
      "NOT_FOUND",
    );
    expect((await call(owner, "GET", "/api/v1/sequences")).data).toEqual([]);
  });

  it("answers 422 at the field at fault: unknown tokens, missing subject, weights, window, time zone, mailbox", async () => {
    const owner = await signupTenant("Seq 422");
    const body = sequenceBody({
      defaultTimeZone: "Mars/Olympus",
      mailboxId: "mbx_01jc9x7d1q8m3v5n2k4p6r8t0w",
      sendWindow: { days: [1], start: "18:00", end: "09:00" },
      steps: [
        { variants: [{ key: "A", weight: 100, subject: "Hi {{contact.firstName|there}}", body: "Fine" }] },
        {
          variants: [
            { key: "A", weight: 50, subject: "Hi", body: "Hello {{contact.nickname}}" },
            { key: "B", weight: 40, body: "Hi {{contact.customFields.plan}}" },
          ],
        },
      ],
    });
    const problem = await expectProblem(
      await api("POST", "/api/v1/sequences", { token: owner.accessToken, body }),
      422,
      "VALIDATION_FAILED",
    );
    expect(problem.errors).toEqual([
      { path: "body.sendWindow.end", message: "The window must end after it starts" },
      { path: "body.defaultTimeZone", message: "Unknown time zone Mars/Olympus" },
      { path: "body.steps.1.variants.1.weight", message: "The weights must sum to 100 (they sum to 90)" },
      {
        path: "body.steps.1.variants.0.body",
        message:
          "Unknown token {{contact.nickname}}: use one of contact.firstName, contact.lastName, contact.fullName, contact.email, contact.title, contact.phone, contact.timeZone",
      },
      { path: "body.steps.1.variants.1.subject", message: "An email needs a subject" },
      {
        path: "body.steps.1.variants.1.body",
        message: 'Unknown token {{contact.customFields.plan}}: contacts have no custom field "plan"',
      },
      { path: "body.mailboxId", message: "Mailbox mbx_01jc9x7d1q8m3v5n2k4p6r8t0w was not found" },
    ]);
    // Once the tenant defines the custom field, the token is accepted.
    await call(
      owner,
      "POST",
      "/api/v1/custom-fields",
      { objectType: "contact", key: "plan", label: "Plan", type: "text" },
      201,
    );
    const ok = sequenceBody({
      steps: [
        { variants: [{ key: "A", weight: 100, subject: "Hi", body: "On {{contact.customFields.plan|a plan}}" }] },
      ],
    });
    await call(owner, "POST", "/api/v1/sequences", ok, 201);
    const steps = (
      await expectProblem(
        await api("POST", "/api/v1/sequences", { token: owner.accessToken, body: { name: "x", steps: [] } }),
        422,
      )
    ).errors;
    expect(steps.map((e: { path: string }) => e.path)).toEqual(["body.steps"]);
  });

  it("previews every step rendered for a contact", async () => {
    const owner = await signupTenant("Seq preview");
    const company = await call(owner, "POST", "/api/v1/companies", { name: "Initech" }, 201);
    const contact = await createContact(owner, { firstName: "Peter", companyId: company.id });
    const sequence = await call(owner, "POST", "/api/v1/sequences", sequenceBody(), 201);
    const preview = await call(owner, "POST", `/api/v1/sequences/${sequence.id}/preview`, { contactId: contact.id });
    expect(preview).toEqual({
      sequenceId: sequence.id,
      contactId: contact.id,
      steps: [
        {
          stepId: sequence.steps[0].id,
          position: 1,
          channel: "email",
          to: contact.email,
          variants: [{ key: "A", weight: 100, subject: "Hi Peter", body: "Step one for Peter at Initech" }],
        },
        {
          stepId: sequence.steps[1].id,
          position: 2,
          channel: "email",
          to: contact.email,
          variants: [{ key: "A", weight: 100, subject: "Following up, Peter", body: "Step two" }],
        },
      ],
    });
    const one = await call(owner, "POST", `/api/v1/sequences/${sequence.id}/preview`, {
      contactId: contact.id,
      stepId: sequence.steps[1].id,
    });
    expect(one.steps.map((s: { position: number }) => s.position)).toEqual([2]);
    const missing = await expectProblem(
      await api("POST", `/api/v1/sequences/${sequence.id}/preview`, {
        token: owner.accessToken,
        body: { contactId: "ct_01jc9x7d1q8m3v5n2k4p6r8t0w" },
      }),
      422,
    );
    expect(missing.errors).toEqual([
      { path: "body.contactId", message: "Contact ct_01jc9x7d1q8m3v5n2k4p6r8t0w was not found" },
    ]);
  });

  it("enrolls by id once at a time, by filter after a preview, and pauses, resumes and unenrolls", async () => {
    const owner = await signupTenant("Seq enroll");
    const sequence = await call(owner, "POST", "/api/v1/sequences", sequenceBody(), 201);
    const vip = [
      await createContact(owner, { firstName: "V1", tags: ["vip"] }),
      await createContact(owner, { firstName: "V2", tags: ["vip"] }),
    ];
    const plain = await createContact(owner, { firstName: "P" });

    const first = await call(owner, "POST", `/api/v1/sequences/${sequence.id}/enrollments`, {
      contactIds: [vip[0]!.id, vip[0]!.id, "ct_01jc9x7d1q8m3v5n2k4p6r8t0w"],
    });
    expect(
      first.data.map((r: { contactId: string; result: string; reason?: string }) => [r.contactId, r.result, r.reason]),
    ).toEqual([
      [vip[0]!.id, "enrolled", undefined],
      ["ct_01jc9x7d1q8m3v5n2k4p6r8t0w", "skipped", "contact_not_found"],
    ]);
    const again = await call(owner, "POST", `/api/v1/sequences/${sequence.id}/enrollments`, {
      contactIds: [vip[0]!.id],
    });
    expect(again.data).toEqual([
      { contactId: vip[0]!.id, result: "already_enrolled", enrollmentId: first.data[0].enrollmentId },
    ]);

    const preview = await call(owner, "POST", `/api/v1/sequences/${sequence.id}/enrollments/preview-filter`, {
      filters: { tag: "vip" },
    });
    expect(preview.count).toBe(2);
    expect(preview.sample.map((c: { id: string }) => c.id).sort()).toEqual(vip.map((c) => c.id).sort());
    expect(preview.sample.find((c: { id: string }) => c.id === vip[1]!.id)).toEqual({
      id: vip[1]!.id,
      firstName: "V2",
      lastName: null,
      email: vip[1]!.email,
    });
    expect(
      await call(owner, "POST", `/api/v1/sequences/${sequence.id}/enrollments/by-filter`, {
        filters: { tag: ["vip"] },
      }),
    ).toEqual({ enrolled: 1, alreadyEnrolled: 1 });
    const bad = await expectProblem(
      await api("POST", `/api/v1/sequences/${sequence.id}/enrollments/by-filter`, {
        token: owner.accessToken,
        body: { filters: { lifecycleStage: "dreaming" } },
      }),
      422,
    );
    expect(bad.errors.map((e: { path: string }) => e.path)).toEqual(["body.filters.lifecycleStage"]);

    const list = await call(owner, "GET", `/api/v1/sequences/${sequence.id}/enrollments`);
    expect(list.data.map((e: { contactId: string; source: string }) => [e.contactId, e.source]).sort()).toEqual(
      [
        [vip[0]!.id, "manual"],
        [vip[1]!.id, "filter"],
      ].sort(),
    );
    expect(
      list.data.every(
        (e: { status: string; nextStepId: string }) => e.status === "active" && e.nextStepId === sequence.steps[0].id,
      ),
    ).toBe(true);

    const id = first.data[0].enrollmentId;
    expect((await call(owner, "POST", `/api/v1/enrollments/${id}/pause`, {})).status).toBe("paused");
    expect(
      (await call(owner, "GET", `/api/v1/sequences/${sequence.id}/enrollments?status=paused`)).data.map(
        (e: { id: string }) => e.id,
      ),
    ).toEqual([id]);
    // Paused: another enrollment of the same contact is still refused.
    expect(
      (await call(owner, "POST", `/api/v1/sequences/${sequence.id}/enrollments`, { contactIds: [vip[0]!.id] })).data[0]
        .result,
    ).toBe("already_enrolled");
    expect((await call(owner, "POST", `/api/v1/enrollments/${id}/resume`, {})).status).toBe("active");
    const ended = await call(owner, "POST", `/api/v1/enrollments/${id}/unenroll`, {});
    expect([ended.status, ended.dueAt, typeof ended.endedAt]).toEqual(["unenrolled", null, "string"]);
    await expectProblem(
      await api("POST", `/api/v1/enrollments/${id}/pause`, { token: owner.accessToken, body: {} }),
      409,
      "CONFLICT",
    );
    // Ended: the contact may be enrolled again.
    expect(
      (
        await call(owner, "POST", `/api/v1/sequences/${sequence.id}/enrollments`, {
          contactIds: [vip[0]!.id, plain.id],
        })
      ).data.map((r: { result: string }) => r.result),
    ).toEqual(["enrolled", "enrolled"]);

    // A paused sequence enrolls no one.
    await call(owner, "PATCH", `/api/v1/sequences/${sequence.id}`, { status: "paused" });
    await expectProblem(
      await api("POST", `/api/v1/sequences/${sequence.id}/enrollments`, {
        token: owner.accessToken,
        body: { contactIds: [plain.id] },
      }),
      409,
      "CONFLICT",
    );
    // Deleting the sequence ends its live enrollments.
    await call(owner, "DELETE", `/api/v1/sequences/${sequence.id}`, undefined, 204);
    const live = await env.DB.prepare(
      "select status, exit_reason from sequence_enrollments where sequence_id = ?1 and status in ('active','paused','exited')",
    )
      .bind(sequence.id)
      .all();
    expect(live.results.every((r) => r.status === "exited" && r.exit_reason === "sequence_archived")).toBe(true);
    expect(live.results).toHaveLength(3);
  });

  it("checks API key scopes and keeps another tenant's sequences out of reach", async () => {
    const owner = await signupTenant("Seq scopes");
    const other = await signupTenant("Seq other");
    const sequence = await call(owner, "POST", "/api/v1/sequences", sequenceBody(), 201);
    const reader = await createKey(owner, ["sequences:read"]);
    expect((await json(await api("GET", `/api/v1/sequences/${sequence.id}`, { token: reader.key }))).id).toBe(
      sequence.id,
    );
    await expectProblem(
      await api("POST", "/api/v1/sequences", { token: reader.key, body: sequenceBody() }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    await expectProblem(await api("GET", "/api/v1/sequences"), 401);
    const contactsOnly = await createKey(owner, ["contacts:read"]);
    await expectProblem(await api("GET", "/api/v1/sequences", { token: contactsOnly.key }), 403, "INSUFFICIENT_SCOPE");

    await expectProblem(
      await api("PATCH", `/api/v1/sequences/${sequence.id}`, { token: other.accessToken, body: { name: "Mine" } }),
      404,
      "NOT_FOUND",
    );
    await expectProblem(
      await api("DELETE", `/api/v1/sequences/${sequence.id}`, { token: other.accessToken }),
      404,
      "NOT_FOUND",
    );
    const theirContact = await createContact(other);
    await expectProblem(
      await api("POST", `/api/v1/sequences/${sequence.id}/preview`, {
        token: other.accessToken,
        body: { contactId: theirContact.id },
      }),
      404,
      "NOT_FOUND",
    );
    await expectProblem(
      await api("POST", `/api/v1/sequences/${sequence.id}/enrollments/by-filter`, {
        token: other.accessToken,
        body: { filters: {} },
      }),
      404,
      "NOT_FOUND",
    );
    expect((await call(owner, "GET", `/api/v1/sequences/${sequence.id}`)).name).toBe("Trial follow-up");
  });
});
