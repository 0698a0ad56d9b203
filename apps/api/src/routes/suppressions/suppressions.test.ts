import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant } from "../../../test/harness";

const anyIso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

describe("suppression list", () => {
  it("adds addresses (lower-cased), lists them newest first with filters, refuses duplicates, removes them", async () => {
    const owner = await signupTenant("Suppressor");
    const token = owner.accessToken;
    const first = await api("POST", "/api/v1/suppressions", { token, body: { address: "  Ana@Acme.Example " } });
    expect(first.status, await first.clone().text()).toBe(201);
    const ana = await json(first);
    expect(ana).toEqual({
      id: expect.stringMatching(/^sup_[0-9a-z]{26}$/),
      address: "ana@acme.example",
      reason: "manual",
      source: expect.stringMatching(/^us_/),
      createdAt: anyIso,
    });
    const phone = await json(
      await api("POST", "/api/v1/suppressions", { token, body: { address: "+14155550100", reason: "complained" } }),
    );
    expect([phone.address, phone.reason]).toEqual(["+14155550100", "complained"]);

    const duplicate = await expectProblem(
      await api("POST", "/api/v1/suppressions", { token, body: { address: "ANA@acme.example" } }),
      409,
      "CONFLICT",
    );
    expect(duplicate.existingId).toBe(ana.id);

    const all = await json(await api("GET", "/api/v1/suppressions?limit=1", { token }));
    expect(all.data.map((s: { id: string }) => s.id)).toEqual([phone.id]);
    const next = await json(await api("GET", `/api/v1/suppressions?limit=1&cursor=${all.nextCursor}`, { token }));
    expect([next.data.map((s: { id: string }) => s.id), next.nextCursor]).toEqual([[ana.id], null]);
    const manual = await json(await api("GET", "/api/v1/suppressions?reason=manual", { token }));
    expect(manual.data.map((s: { id: string }) => s.id)).toEqual([ana.id]);

    expect((await api("DELETE", `/api/v1/suppressions/${ana.id}`, { token })).status).toBe(204);
    await expectProblem(await api("DELETE", `/api/v1/suppressions/${ana.id}`, { token }), 404, "NOT_FOUND");
    const after = await json(await api("GET", "/api/v1/suppressions", { token }));
    expect(after.data.map((s: { id: string }) => s.id)).toEqual([phone.id]);
    const audit = await json(await api("GET", "/api/v1/audit-log?entity=suppression", { token }));
    expect(audit.data.map((e: { action: string; entityId: string }) => [e.action, e.entityId]).sort()).toEqual(
      [
        ["create", ana.id],
        ["create", phone.id],
        ["delete", ana.id],
      ].sort(),
    );
  });

  it("answers bad input with the field at fault", async () => {
    const owner = await signupTenant("Suppressor");
    const cases: [unknown, string][] = [
      [{ address: "not an address" }, "body.address"],
      [{ address: "0044 20 7946 0000" }, "body.address"],
      [{ address: "ana@acme.example", reason: "because" }, "body.reason"],
      [{}, "body.address"],
    ];
    for (const [body, path] of cases) {
      const problem = await expectProblem(
        await api("POST", "/api/v1/suppressions", { token: owner.accessToken, body }),
        422,
        "VALIDATION_FAILED",
      );
      expect(
        problem.errors.map((e: { path: string }) => e.path),
        JSON.stringify(body),
      ).toEqual([path]);
    }
  });

  it("keeps each tenant's list to itself and checks API key scopes", async () => {
    const [a, b] = await Promise.all([signupTenant("A"), signupTenant("B")]);
    const added = await json(
      await api("POST", "/api/v1/suppressions", { token: a.accessToken, body: { address: "x@acme.example" } }),
    );
    expect((await json(await api("GET", "/api/v1/suppressions", { token: b.accessToken }))).data).toEqual([]);
    await expectProblem(await api("DELETE", `/api/v1/suppressions/${added.id}`, { token: b.accessToken }), 404);
    // B may suppress the same address for itself.
    expect(
      (await api("POST", "/api/v1/suppressions", { token: b.accessToken, body: { address: "x@acme.example" } })).status,
    ).toBe(201);

    const reader = await createKey(a, ["outreach:read"]);
    expect((await api("GET", "/api/v1/suppressions", { token: reader.key })).status).toBe(200);
    await expectProblem(
      await api("POST", "/api/v1/suppressions", { token: reader.key, body: { address: "y@acme.example" } }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    await expectProblem(await api("GET", "/api/v1/suppressions"), 401, "UNAUTHORIZED");
  });
});
