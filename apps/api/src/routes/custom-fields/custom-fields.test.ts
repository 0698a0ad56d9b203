import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, signupTenant } from "../../../test/harness";
import { addMember } from "../../../test/people";
import { anyIso, listIds, ok } from "../tasks/test-support";

const field = (body: Record<string, unknown>) => ({ objectType: "task", label: "Field", type: "text", ...body });

describe("custom fields: definitions", () => {
  it("creates, reads, lists, changes and deletes a field, with exact bodies", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const plan = await ok("POST", "/api/v1/custom-fields", token, {
      objectType: "task",
      key: "plan",
      label: " Plan ",
      type: "select",
      options: ["free", "pro", "pro", " enterprise "],
    });
    expect(plan).toEqual({
      id: expect.stringMatching(/^cf_[0-9a-z]{26}$/),
      objectType: "task",
      key: "plan",
      label: "Plan",
      type: "select",
      options: ["free", "pro", "enterprise"],
      required: false,
      position: 0,
      createdAt: anyIso,
      updatedAt: plan.createdAt,
    });
    const seats = await ok(
      "POST",
      "/api/v1/custom-fields",
      token,
      field({ key: "seats", label: "Seats", type: "number", required: true }),
    );
    expect(seats.position).toBe(1);
    const website = await ok(
      "POST",
      "/api/v1/custom-fields",
      token,
      field({ objectType: "contact", key: "website", type: "url", position: 7 }),
    );
    expect(await ok("GET", `/api/v1/custom-fields/${plan.id}`, token)).toEqual(plan);
    expect(await ok("GET", "/api/v1/custom-fields", token)).toEqual({ data: [website, plan, seats], nextCursor: null });
    expect(await ok("GET", "/api/v1/custom-fields?objectType=task", token)).toEqual({
      data: [plan, seats],
      nextCursor: null,
    });

    const changed = await ok("PATCH", `/api/v1/custom-fields/${plan.id}`, token, {
      label: "Plan tier",
      options: ["free", "team"],
      position: 5,
    });
    expect(changed).toEqual({ ...plan, label: "Plan tier", options: ["free", "team"], position: 5, updatedAt: anyIso });
    expect((await api("DELETE", `/api/v1/custom-fields/${plan.id}`, { token })).status).toBe(204);
    await expectProblem(await api("GET", `/api/v1/custom-fields/${plan.id}`, { token }), 404);
    expect((await ok("GET", "/api/v1/custom-fields?objectType=task", token)).data).toEqual([seats]);
  });

  it("keys are snake_case and unique per object (409 with the existing id); options go with select types only", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const post = (body: unknown) => api("POST", "/api/v1/custom-fields", { token, body });
    const first = await ok("POST", "/api/v1/custom-fields", token, field({ key: "region" }));
    const duplicate = await expectProblem(await post(field({ key: "region", type: "number" })), 409, "CONFLICT");
    expect(duplicate.existingId).toBe(first.id);
    // The same key on another object is a different field.
    expect((await ok("POST", "/api/v1/custom-fields", token, field({ objectType: "deal", key: "region" }))).key).toBe(
      "region",
    );

    for (const key of ["Region", "2nd", "has-dash", "", "a".repeat(64)]) {
      const problem = await expectProblem(await post(field({ key })), 422, "VALIDATION_FAILED");
      expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(["body.key"]);
    }
    let problem = await expectProblem(await post(field({ key: "tier", type: "select" })), 422);
    expect(problem.errors).toEqual([
      { path: "body.options", message: "Required for select and multi_select fields: at least one option" },
    ]);
    problem = await expectProblem(await post(field({ key: "tier", type: "multi_select", options: [] })), 422);
    expect(problem.errors[0].path).toBe("body.options");
    problem = await expectProblem(await post(field({ key: "tier", type: "number", options: ["1"] })), 422);
    expect(problem.errors).toEqual([{ path: "body.options", message: "A number field has no options" }]);
    problem = await expectProblem(await post(field({ key: "tier", type: "colour", objectType: "invoice" })), 422);
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(["body.objectType", "body.type"]);
    expect(
      (await ok("GET", "/api/v1/custom-fields?objectType=task", token)).data.map((f: { key: string }) => f.key),
    ).toEqual(["region"]);
  });

  it("the type changes only while no record holds a value (409 with the count)", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const size = await ok("POST", "/api/v1/custom-fields", token, field({ key: "size", type: "text" }));
    // No values yet: the type may change.
    expect((await ok("PATCH", `/api/v1/custom-fields/${size.id}`, token, { type: "number" })).type).toBe("number");
    const task = await ok("POST", "/api/v1/tasks", token, { title: "x", customFields: { size: 3 } });
    const problem = await expectProblem(
      await api("PATCH", `/api/v1/custom-fields/${size.id}`, { token, body: { type: "text" } }),
      409,
      "CONFLICT",
    );
    expect(problem.recordCount).toBe(1);
    // Clearing the value frees the type again.
    await ok("PATCH", `/api/v1/tasks/${task.id}`, token, { customFields: { size: null } });
    expect(
      (await ok("PATCH", `/api/v1/custom-fields/${size.id}`, token, { type: "select", options: ["s", "m"] })).options,
    ).toEqual(["s", "m"]);
  });

  it("owners and admins write; members and viewers read; API keys need custom_fields scopes", async () => {
    const owner = await signupTenant();
    const admin = await addMember(owner, "admin");
    const member = await addMember(owner, "member");
    const made = await ok("POST", "/api/v1/custom-fields", admin.accessToken, field({ key: "by_admin" }));
    await expectProblem(
      await api("POST", "/api/v1/custom-fields", { token: member.accessToken, body: field({ key: "by_member" }) }),
      403,
      "FORBIDDEN",
    );
    await expectProblem(
      await api("DELETE", `/api/v1/custom-fields/${made.id}`, { token: member.accessToken }),
      403,
      "FORBIDDEN",
    );
    expect((await ok("GET", "/api/v1/custom-fields", member.accessToken)).data).toEqual([made]);
    const reader = await createKey(owner, ["custom_fields:read"]);
    await expectProblem(
      await api("POST", "/api/v1/custom-fields", { token: reader.key, body: field({ key: "by_key" }) }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    const writer = await createKey(owner, ["custom_fields:write"]);
    expect((await ok("POST", "/api/v1/custom-fields", writer.key, field({ key: "by_key" }))).key).toBe("by_key");
  });

  it("another tenant gets 404 on every id and an empty list", async () => {
    const owner = await signupTenant();
    const other = await signupTenant("Other");
    const made = await ok("POST", "/api/v1/custom-fields", owner.accessToken, field({ key: "secret" }));
    const token = other.accessToken;
    await expectProblem(await api("GET", `/api/v1/custom-fields/${made.id}`, { token }), 404);
    await expectProblem(await api("PATCH", `/api/v1/custom-fields/${made.id}`, { token, body: { label: "x" } }), 404);
    await expectProblem(await api("DELETE", `/api/v1/custom-fields/${made.id}`, { token }), 404);
    expect(await ok("GET", "/api/v1/custom-fields", token)).toEqual({ data: [], nextCursor: null });
    // Their key is free here.
    expect((await ok("POST", "/api/v1/custom-fields", token, field({ key: "secret" }))).key).toBe("secret");
    expect((await ok("GET", `/api/v1/custom-fields/${made.id}`, owner.accessToken)).label).toBe("Field");
  });
});

describe("custom fields on records", () => {
  it("validates values on every write with the field's path, and filters and sorts by them", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    await ok("POST", "/api/v1/custom-fields", token, field({ key: "effort", type: "number", required: true }));
    await ok(
      "POST",
      "/api/v1/custom-fields",
      token,
      field({ key: "stream", type: "select", options: ["sales", "support"] }),
    );
    await ok("POST", "/api/v1/custom-fields", token, field({ key: "billable", type: "boolean" }));

    let problem = await expectProblem(await api("POST", "/api/v1/tasks", { token, body: { title: "x" } }), 422);
    expect(problem.errors).toEqual([{ path: "body.customFields.effort", message: "Required" }]);
    problem = await expectProblem(
      await api("POST", "/api/v1/tasks", {
        token,
        body: { title: "x", customFields: { effort: "lots", stream: "marketing" } },
      }),
      422,
    );
    expect(problem.errors).toEqual([
      { path: "body.customFields.effort", message: "Must be a number" },
      { path: "body.customFields.stream", message: "Must be one of: sales, support" },
    ]);

    const a = await ok("POST", "/api/v1/tasks", token, {
      title: "a",
      customFields: { effort: 5, stream: "sales", billable: true },
    });
    const b = await ok("POST", "/api/v1/tasks", token, { title: "b", customFields: { effort: 1, stream: "support" } });
    const c = await ok("POST", "/api/v1/tasks", token, {
      title: "c",
      customFields: { effort: 3, stream: "sales", billable: false },
    });
    expect(a.customFields).toEqual({ effort: 5, stream: "sales", billable: true });
    problem = await expectProblem(
      await api("PATCH", `/api/v1/tasks/${b.id}`, { token, body: { customFields: { effort: null } } }),
      422,
    );
    expect(problem.errors).toEqual([{ path: "body.customFields.effort", message: "Required" }]);

    expect(await listIds(token, "/api/v1/tasks?cf.stream=sales&sort=createdAt")).toEqual([a.id, c.id]);
    expect(await listIds(token, "/api/v1/tasks?cf.effort.gte=2&cf.effort.lte=4")).toEqual([c.id]);
    expect(await listIds(token, "/api/v1/tasks?cf.billable=true")).toEqual([a.id]);
    expect(await listIds(token, "/api/v1/tasks?sort=cf.effort")).toEqual([b.id, c.id, a.id]);
    expect(await listIds(token, "/api/v1/tasks?sort=-cf.effort&limit=2")).toEqual([a.id, c.id]);
    problem = await expectProblem(await api("GET", "/api/v1/tasks?cf.colour=red", { token }), 422);
    expect(problem.errors).toEqual([{ path: "query.cf.colour", message: "No custom field has this key" }]);
  });

  it("deleting a field keeps the stored values but hides them; re-creating it shows them, an incompatible type is 409", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const region = await ok("POST", "/api/v1/custom-fields", token, field({ key: "region", type: "text" }));
    const task = await ok("POST", "/api/v1/tasks", token, { title: "x", customFields: { region: "emea" } });
    expect((await api("DELETE", `/api/v1/custom-fields/${region.id}`, { token })).status).toBe(204);

    expect((await ok("GET", `/api/v1/tasks/${task.id}`, token)).customFields).toEqual({});
    const problem = await expectProblem(
      await api("PATCH", `/api/v1/tasks/${task.id}`, { token, body: { customFields: { region: "apac" } } }),
      422,
    );
    expect(problem.errors[0].path).toBe("body.customFields.region");
    await expectProblem(await api("GET", "/api/v1/tasks?cf.region=emea", { token }), 422);

    const incompatible = await expectProblem(
      await api("POST", "/api/v1/custom-fields", { token, body: field({ key: "region", type: "number" }) }),
      409,
    );
    expect(incompatible.recordCount).toBe(1);
    await ok(
      "POST",
      "/api/v1/custom-fields",
      token,
      field({ key: "region", type: "select", options: ["emea", "apac"] }),
    );
    expect((await ok("GET", `/api/v1/tasks/${task.id}`, token)).customFields).toEqual({ region: "emea" });
    expect(await listIds(token, "/api/v1/tasks?cf.region=emea")).toEqual([task.id]);
  });
});
