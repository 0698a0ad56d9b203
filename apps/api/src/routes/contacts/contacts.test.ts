import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant } from "../../../test/harness";
import { userIdOf } from "../../../test/people";
import { createCompanyVia, createContactVia, defineCustomField, getJson, listIds } from "./test-support";

const isoNow = () => expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

describe("contacts: create, read, update, delete", () => {
  it("creates a contact with every field normalised, reads it back, patches it and deletes it", async () => {
    const owner = await signupTenant();
    const ownerId = await userIdOf(owner);
    const company = await createCompanyVia(owner.accessToken, { name: "Analytical Engines" });

    const created = await createContactVia(owner.accessToken, {
      firstName: " Ada ",
      lastName: "Lovelace",
      emails: [{ address: "ADA@Example.com", label: "work" }, { address: "ada.home@example.org" }],
      phones: [{ number: "+44 20 7946 0018", label: "office" }],
      title: "Analyst",
      companyId: company.id,
      lifecycleStage: "lead",
      leadStatus: "new",
      source: "webinar",
      tags: ["VIP", " vip ", "Math"],
      consent: { status: "opted_in", source: "signup form" },
      timeZone: "europe/london",
      address: { city: "London", country: "GB" },
      socialLinks: { linkedin: "https://www.linkedin.com/in/ada" },
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^ct_[0-9a-z]{26}$/),
      firstName: "Ada",
      lastName: "Lovelace",
      emails: [
        { address: "ada@example.com", primary: true, label: "work" },
        { address: "ada.home@example.org", primary: false, label: null },
      ],
      phones: [{ number: "+44 20 7946 0018", label: "office" }],
      title: "Analyst",
      companyId: company.id,
      lifecycleStage: "lead",
      lifecycleStageChangedAt: created.createdAt,
      leadStatus: "new",
      source: "webinar",
      ownerId,
      tags: ["vip", "math"],
      consent: { status: "opted_in", changedAt: created.createdAt, source: "signup form" },
      doNotContact: false,
      timeZone: "Europe/London",
      address: { city: "London", country: "GB" },
      socialLinks: { linkedin: "https://www.linkedin.com/in/ada" },
      customFields: {},
      createdAt: isoNow(),
      updatedAt: created.createdAt,
    });
    expect(await getJson(owner.accessToken, `/api/v1/contacts/${created.id}`)).toEqual(created);

    const patched = await api("PATCH", `/api/v1/contacts/${created.id}`, {
      token: owner.accessToken,
      body: {
        lastName: "Byron",
        title: null,
        lifecycleStage: "mql",
        tags: [],
        consent: { status: "opted_out" },
        doNotContact: true,
      },
    });
    expect(patched.status).toBe(200);
    const updated = await json(patched);
    expect(updated).toEqual({
      ...created,
      lastName: "Byron",
      title: null,
      lifecycleStage: "mql",
      lifecycleStageChangedAt: updated.updatedAt,
      tags: [],
      consent: { status: "opted_out", changedAt: updated.updatedAt, source: null },
      doNotContact: true,
      updatedAt: isoNow(),
    });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
    expect(await getJson(owner.accessToken, `/api/v1/contacts/${created.id}`)).toEqual(updated);

    const history = await getJson(owner.accessToken, `/api/v1/contacts/${created.id}/lifecycle-history`);
    expect(history).toEqual({
      data: [
        {
          id: expect.stringMatching(/^lch_/),
          contactId: created.id,
          fromStage: null,
          toStage: "lead",
          changedBy: ownerId,
          changedAt: created.createdAt,
        },
        {
          id: expect.stringMatching(/^lch_/),
          contactId: created.id,
          fromStage: "lead",
          toStage: "mql",
          changedBy: ownerId,
          changedAt: updated.updatedAt,
        },
      ],
      nextCursor: null,
    });

    const deleted = await api("DELETE", `/api/v1/contacts/${created.id}`, { token: owner.accessToken });
    expect(deleted.status).toBe(204);
    await expectProblem(
      await api("GET", `/api/v1/contacts/${created.id}`, { token: owner.accessToken }),
      404,
      "NOT_FOUND",
    );
    await expectProblem(
      await api("DELETE", `/api/v1/contacts/${created.id}`, { token: owner.accessToken }),
      404,
      "NOT_FOUND",
    );
    expect(await listIds(owner.accessToken, "/api/v1/contacts")).toEqual([]);
    expect(await listIds(owner.accessToken, "/api/v1/contacts?q=lovelace")).toEqual([]);

    const audit = await getJson(owner.accessToken, `/api/v1/audit-log?entity=contact&entityId=${created.id}`);
    expect(audit.data.map((e: { action: string }) => e.action)).toEqual(["delete", "update", "create"]);
    expect(audit.data[1].before).toMatchObject({ lastName: "Lovelace", lifecycleStage: "lead" });
    expect(audit.data[1].after).toMatchObject({ lastName: "Byron", lifecycleStage: "mql" });
  });

  it("a PATCH that changes nothing leaves updatedAt and the history alone", async () => {
    const owner = await signupTenant();
    const created = await createContactVia(owner.accessToken, { firstName: "Grace", lifecycleStage: "customer" });
    const same = await json(
      await api("PATCH", `/api/v1/contacts/${created.id}`, {
        token: owner.accessToken,
        body: { firstName: "Grace", lifecycleStage: "customer" },
      }),
    );
    expect(same).toEqual(created);
    const history = await getJson(owner.accessToken, `/api/v1/contacts/${created.id}/lifecycle-history`);
    expect(history.data).toHaveLength(1);
  });

  it("rejects invalid fields with 422 and the field path, and stores nothing", async () => {
    const owner = await signupTenant();
    const other = await signupTenant("Elsewhere");
    const otherUserId = await userIdOf(other);
    const cases: [Record<string, unknown>, { path: string; message: string }[]][] = [
      [
        {
          firstName: "A",
          emails: [
            { address: "a@example.com", primary: true },
            { address: "b@example.com", primary: true },
          ],
        },
        [{ path: "body.emails", message: "Exactly one email can be primary" }],
      ],
      [
        { firstName: "A", emails: [{ address: "a@example.com" }, { address: "A@example.com" }] },
        [{ path: "body.emails.1.address", message: "This address is listed more than once" }],
      ],
      [
        { firstName: "A", companyId: "co_01jc9x7d1q8m3v5n2k4p6r8t0w" },
        [{ path: "body.companyId", message: "No company in this organization has this id" }],
      ],
      [
        { firstName: "A", ownerId: otherUserId },
        [{ path: "body.ownerId", message: "No member of this organization has this user id" }],
      ],
      [
        { firstName: "A", timeZone: "Mars/Olympus_Mons" },
        [{ path: "body.timeZone", message: "Must be an IANA time zone such as Europe/Paris" }],
      ],
      [{ title: "Nameless" }, [{ path: "body.firstName", message: "Give a first name, a last name or an email" }]],
    ];
    for (const [body, errors] of cases) {
      const problem = await expectProblem(
        await api("POST", "/api/v1/contacts", { token: owner.accessToken, body }),
        422,
        "VALIDATION_FAILED",
      );
      expect(problem.errors, JSON.stringify(body)).toEqual(errors);
    }
    const schemaErrors: [Record<string, unknown>, string][] = [
      [{ emails: [{ address: "not-an-email" }] }, "body.emails.0.address"],
      [{ firstName: "A", lifecycleStage: "prospect" }, "body.lifecycleStage"],
      [{ firstName: "A", phones: [{ number: "call me" }] }, "body.phones.0.number"],
      [{ firstName: "A", socialLinks: { linkedin: "javascript:alert(1)" } }, "body.socialLinks.linkedin"],
      [{ firstName: "A", consent: { status: "maybe" } }, "body.consent.status"],
    ];
    for (const [body, path] of schemaErrors) {
      const problem = await expectProblem(
        await api("POST", "/api/v1/contacts", { token: owner.accessToken, body }),
        422,
        "VALIDATION_FAILED",
      );
      expect(
        problem.errors.map((e: { path: string }) => e.path),
        JSON.stringify(body),
      ).toEqual([path]);
    }
    const unknownField = await expectProblem(
      await api("POST", "/api/v1/contacts", { token: owner.accessToken, body: { firstName: "A", nickname: "Al" } }),
      422,
    );
    expect(unknownField.errors[0].message).toContain("nickname");
    expect(await listIds(owner.accessToken, "/api/v1/contacts")).toEqual([]);
  });

  it("a primary email another contact has is 409 with existingId, on create and on update", async () => {
    const owner = await signupTenant();
    const first = await createContactVia(owner.accessToken, {
      firstName: "Ada",
      emails: [{ address: "ada@example.com" }],
    });
    const second = await createContactVia(owner.accessToken, {
      firstName: "Bea",
      emails: [{ address: "bea@example.com" }],
    });

    const onCreate = await expectProblem(
      await api("POST", "/api/v1/contacts", {
        token: owner.accessToken,
        body: { firstName: "Ada 2", emails: [{ address: "ADA@Example.COM" }] },
      }),
      409,
      "CONFLICT",
    );
    expect(onCreate.existingId).toBe(first.id);

    const onUpdate = await expectProblem(
      await api("PATCH", `/api/v1/contacts/${second.id}`, {
        token: owner.accessToken,
        body: { emails: [{ address: "bea@example.com" }, { address: "ada@example.com", primary: true }] },
      }),
      409,
      "CONFLICT",
    );
    expect(onUpdate.existingId).toBe(first.id);
    expect((await getJson(owner.accessToken, `/api/v1/contacts/${second.id}`)).emails).toEqual(second.emails);

    // The same address in another organization is no duplicate.
    const elsewhere = await signupTenant("Elsewhere");
    await createContactVia(elsewhere.accessToken, { firstName: "Ada", emails: [{ address: "ada@example.com" }] });
  });

  it("validates custom fields against the tenant's definitions: 422 at body.customFields.<key>", async () => {
    const owner = await signupTenant();
    await defineCustomField(owner, {
      objectType: "contact",
      key: "plan",
      type: "select",
      required: true,
      options: ["free", "pro"],
    });
    await defineCustomField(owner, { objectType: "contact", key: "seats", type: "number" });

    const missing = await expectProblem(
      await api("POST", "/api/v1/contacts", { token: owner.accessToken, body: { firstName: "A" } }),
      422,
    );
    expect(missing.errors).toEqual([{ path: "body.customFields.plan", message: "Required" }]);
    const wrong = await expectProblem(
      await api("POST", "/api/v1/contacts", {
        token: owner.accessToken,
        body: { firstName: "A", customFields: { plan: "gold", seats: "ten", colour: "red" } },
      }),
      422,
    );
    expect(wrong.errors).toEqual([
      { path: "body.customFields.plan", message: "Must be one of: free, pro" },
      { path: "body.customFields.seats", message: "Must be a number" },
      { path: "body.customFields.colour", message: "No custom field has this key" },
    ]);

    const created = await createContactVia(owner.accessToken, {
      firstName: "A",
      customFields: { plan: "pro", seats: 5 },
    });
    expect(created.customFields).toEqual({ plan: "pro", seats: 5 });
    const cleared = await json(
      await api("PATCH", `/api/v1/contacts/${created.id}`, {
        token: owner.accessToken,
        body: { customFields: { seats: null } },
      }),
    );
    expect(cleared.customFields).toEqual({ plan: "pro" });
    const requiredCleared = await expectProblem(
      await api("PATCH", `/api/v1/contacts/${created.id}`, {
        token: owner.accessToken,
        body: { customFields: { plan: null } },
      }),
      422,
    );
    expect(requiredCleared.errors).toEqual([{ path: "body.customFields.plan", message: "Required" }]);
  });

  it("API keys need contacts:write to write; contacts:read reads", async () => {
    const owner = await signupTenant();
    const reader = await createKey(owner, ["contacts:read"]);
    await expectProblem(
      await api("POST", "/api/v1/contacts", { token: reader.key, body: { firstName: "A" } }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    const writer = await createKey(owner, ["contacts:write"]);
    const viaKey = await api("POST", "/api/v1/contacts", { token: writer.key, body: { firstName: "Keyed" } });
    expect(viaKey.status).toBe(201);
    const created = await json(viaKey);
    expect(created.ownerId).toBeNull();
    expect((await getJson(reader.key, `/api/v1/contacts/${created.id}`)).firstName).toBe("Keyed");
  });
});
