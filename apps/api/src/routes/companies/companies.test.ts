import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant } from "../../../test/harness";
import { addMember, userIdOf } from "../../../test/people";
import {
  createCompanyVia,
  createContactVia,
  createDealVia,
  defineCustomField,
  getJson,
  listIds,
  setRecordVisibility,
} from "../contacts/test-support";

const sorted = (ids: string[]) => [...ids].sort();

async function walk(token: string, path: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes("?") ? "&" : "?";
    const page = await getJson(
      token,
      `${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    expect(page.data.length).toBeLessThanOrEqual(limit);
    ids.push(...page.data.map((r: { id: string }) => r.id));
    cursor = page.nextCursor;
  } while (cursor && ids.length < 500);
  return ids;
}

describe("companies: create, read, update, delete", () => {
  it("creates a company with a normalised domain, reads, patches and deletes it", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const created = await createCompanyVia(token, {
      name: " Quokka Holdings ",
      domain: "https://www.Quokka.example/about",
      industry: "Wildlife",
      size: "51-200",
      annualRevenue: 1250000.5,
      website: "https://www.quokka.example",
      domainAuthority: 42,
      tags: ["Partner", "partner"],
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^co_[0-9a-z]{26}$/),
      name: "Quokka Holdings",
      domain: "quokka.example",
      industry: "Wildlife",
      size: "51-200",
      annualRevenue: 1250000.5,
      website: "https://www.quokka.example",
      domainAuthority: 42,
      ownerId: await userIdOf(owner),
      tags: ["partner"],
      customFields: {},
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      updatedAt: created.createdAt,
    });
    expect(await getJson(token, `/api/v1/companies/${created.id}`)).toEqual(created);

    const patched = await api("PATCH", `/api/v1/companies/${created.id}`, {
      token,
      body: { name: "Quokka Group", domain: null, annualRevenue: null, domainAuthority: 0, tags: [] },
    });
    expect(patched.status).toBe(200);
    const updated = await json(patched);
    expect(updated).toEqual({
      ...created,
      name: "Quokka Group",
      domain: null,
      annualRevenue: null,
      domainAuthority: 0,
      tags: [],
      updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(await getJson(token, `/api/v1/companies/${created.id}`)).toEqual(updated);

    expect((await api("DELETE", `/api/v1/companies/${created.id}`, { token })).status).toBe(204);
    await expectProblem(await api("GET", `/api/v1/companies/${created.id}`, { token }), 404, "NOT_FOUND");
    expect(await listIds(token, "/api/v1/companies")).toEqual([]);
    expect(await listIds(token, "/api/v1/companies?q=quokka")).toEqual([]);
    const audit = await getJson(token, `/api/v1/audit-log?entity=company&entityId=${created.id}`);
    expect(audit.data.map((e: { action: string }) => e.action)).toEqual(["delete", "update", "create"]);
  });

  it("rejects invalid fields with 422 at the field path, and a taken domain with 409 and existingId", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ name: "A", domain: "not a domain" }, "body.domain", "Must be a domain name such as example.com"],
      [{ name: "A", domain: "localhost" }, "body.domain", "Must be a domain name such as example.com"],
      [{ name: "A", domainAuthority: 101 }, "body.domainAuthority"],
      [{ name: "A", domainAuthority: 4.5 }, "body.domainAuthority"],
      [{ name: "A", website: "ftp://files.example" }, "body.website"],
      [{ name: "" }, "body.name"],
      [{ domain: "a.example" }, "body.name"],
      [{ name: "A", annualRevenue: -1 }, "body.annualRevenue"],
      [
        { name: "A", ownerId: "us_01jc9x7d1q8m3v5n2k4p6r8t0w" },
        "body.ownerId",
        "No member of this organization has this user id",
      ],
    ];
    for (const [body, path, message] of cases) {
      const problem = await expectProblem(
        await api("POST", "/api/v1/companies", { token, body }),
        422,
        "VALIDATION_FAILED",
      );
      expect(
        problem.errors.map((e: { path: string }) => e.path),
        JSON.stringify(body),
      ).toEqual([path]);
      if (message) expect(problem.errors[0].message).toBe(message);
    }

    const first = await createCompanyVia(token, { name: "First", domain: "first.example" });
    const second = await createCompanyVia(token, { name: "Second", domain: "second.example" });
    const taken = await expectProblem(
      await api("POST", "/api/v1/companies", { token, body: { name: "Again", domain: "WWW.First.Example" } }),
      409,
      "CONFLICT",
    );
    expect(taken.existingId).toBe(first.id);
    const onUpdate = await expectProblem(
      await api("PATCH", `/api/v1/companies/${second.id}`, { token, body: { domain: "http://first.example/pricing" } }),
      409,
      "CONFLICT",
    );
    expect(onUpdate.existingId).toBe(first.id);
    expect(sorted(await listIds(token, "/api/v1/companies"))).toEqual(sorted([first.id, second.id]));

    // A blank domain is no domain: any number of companies may have none.
    const blankA = await createCompanyVia(token, { name: "Blank A", domain: "" });
    const blankB = await createCompanyVia(token, { name: "Blank B", domain: "  " });
    expect([blankA.domain, blankB.domain]).toEqual([null, null]);
    const cleared = await api("PATCH", `/api/v1/companies/${second.id}`, { token, body: { domain: "" } });
    expect(cleared.status).toBe(200);
    expect((await json(cleared)).domain).toBeNull();
  });

  it("validates custom fields: 422 at body.customFields.<key>", async () => {
    const owner = await signupTenant();
    await defineCustomField(owner, {
      objectType: "company",
      key: "tier",
      type: "select",
      required: true,
      options: ["gold", "silver"],
    });
    const problem = await expectProblem(
      await api("POST", "/api/v1/companies", {
        token: owner.accessToken,
        body: { name: "A", customFields: { tier: "bronze" } },
      }),
      422,
    );
    expect(problem.errors).toEqual([{ path: "body.customFields.tier", message: "Must be one of: gold, silver" }]);
    const created = await createCompanyVia(owner.accessToken, { name: "A", customFields: { tier: "gold" } });
    expect(created.customFields).toEqual({ tier: "gold" });
    expect(await listIds(owner.accessToken, "/api/v1/companies?cf.tier=gold")).toEqual([created.id]);
    expect(await listIds(owner.accessToken, "/api/v1/companies?cf.tier=silver")).toEqual([]);
  });
});

describe("companies list", () => {
  it("filters, searches name/domain/industry and sorts by name and annual revenue across pages", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const member = await addMember(owner, "member");
    const a = await createCompanyVia(token, {
      name: "Beta Logistics",
      domain: "beta.example",
      industry: "Shipping",
      annualRevenue: 500,
      tags: ["eu"],
    });
    const b = await createCompanyVia(token, {
      name: "Alpha Mining",
      domain: "alpha-ore.example",
      industry: "Mining",
      annualRevenue: 9000,
      ownerId: member.userId,
    });
    const c = await createCompanyVia(token, { name: "Gamma Freight", industry: "Shipping", tags: ["eu", "key"] });
    const d = await createCompanyVia(token, { name: "Delta Ore", industry: "Mining", annualRevenue: 500 });

    const cases: [string, string[]][] = [
      ["industry=Shipping", [a.id, c.id]],
      [`ownerId=${member.userId}`, [b.id]],
      ["tag=eu", [a.id, c.id]],
      ["tag=eu&tag=key", [c.id]],
      ["annualRevenueMin=500", [a.id, b.id, d.id]],
      ["annualRevenueMin=501", [b.id]],
      ["annualRevenueMax=500", [a.id, d.id]],
      [`createdFrom=${c.createdAt}`, [c.id, d.id]],
      ["q=freight", [c.id]],
      ["q=alpha-ore.example", [b.id]],
      ["q=mining", [b.id, d.id]],
      ["q=ore", [b.id, d.id]],
      ["q=shipping&tag=key", [c.id]],
    ];
    for (const [query, expected] of cases) {
      expect(sorted(await listIds(token, `/api/v1/companies?${query}`)), query).toEqual(sorted(expected));
    }

    expect(await walk(token, "/api/v1/companies?sort=name", 3)).toEqual([b.id, a.id, d.id, c.id]);
    expect(await walk(token, "/api/v1/companies?sort=-name", 1)).toEqual([c.id, d.id, a.id, b.id]);
    // NULL revenue sorts first ascending and last descending; ties by id.
    const [low1, low2] = sorted([a.id, d.id]);
    expect(await walk(token, "/api/v1/companies?sort=annualRevenue", 2)).toEqual([c.id, low1, low2, b.id]);
    expect(await walk(token, "/api/v1/companies?sort=-annualRevenue", 1)).toEqual([b.id, low2, low1, c.id]);
    await expectProblem(
      await api("GET", "/api/v1/companies?annualRevenueMin=lots", { token }),
      422,
      "VALIDATION_FAILED",
    );
    await expectProblem(await api("GET", "/api/v1/companies?sort=domain", { token }), 422, "VALIDATION_FAILED");
  });
});

describe("a company's contacts and deals", () => {
  it("lists them paginated; deleting the company unlinks both and drops its name from the contacts' search", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const company = await createCompanyVia(token, { name: "Wombat Works", domain: "wombat.example" });
    const other = await createCompanyVia(token, { name: "Other" });
    const contactIds: string[] = [];
    for (const name of ["Ann", "Bob", "Cyd"])
      contactIds.push((await createContactVia(token, { firstName: name, companyId: company.id })).id);
    await createContactVia(token, { firstName: "Elsewhere", companyId: other.id });
    const dealA = await createDealVia(token, { companyId: company.id, name: "Deal A" });
    const dealB = await createDealVia(token, { companyId: company.id, name: "Deal B", value: 1200 });
    await createDealVia(token, { companyId: other.id, name: "Not theirs" });

    expect(await walk(token, `/api/v1/companies/${company.id}/contacts?sort=createdAt`, 2)).toEqual(contactIds);
    expect(await listIds(token, `/api/v1/companies/${company.id}/contacts?q=bob`)).toEqual([contactIds[1]]);
    const dealPage = await getJson(token, `/api/v1/companies/${company.id}/deals?limit=1`);
    expect(dealPage.data).toHaveLength(1);
    expect(dealPage.data).toEqual([dealB]);
    const rest = await getJson(token, `/api/v1/companies/${company.id}/deals?limit=1&cursor=${dealPage.nextCursor}`);
    expect(rest).toEqual({ data: [dealA], nextCursor: null });
    expect(await listIds(token, "/api/v1/contacts?q=wombat")).toHaveLength(3);

    expect((await api("DELETE", `/api/v1/companies/${company.id}`, { token })).status).toBe(204);
    for (const id of contactIds) expect((await getJson(token, `/api/v1/contacts/${id}`)).companyId).toBeNull();
    expect((await getJson(token, `/api/v1/deals/${dealA.id}`)).companyId).toBeNull();
    expect((await getJson(token, `/api/v1/deals/${dealB.id}`)).companyId).toBeNull();
    expect(await listIds(token, "/api/v1/contacts?q=wombat")).toEqual([]);
    expect(await listIds(token, "/api/v1/contacts?q=ann")).toEqual([contactIds[0]]);
    await expectProblem(await api("GET", `/api/v1/companies/${company.id}/contacts`, { token }), 404, "NOT_FOUND");
    await expectProblem(await api("GET", `/api/v1/companies/${company.id}/deals`, { token }), 404, "NOT_FOUND");
  });
});

describe("POST /api/v1/companies/bulk", () => {
  it("updates, assigns, tags and deletes all or nothing", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const member = await addMember(owner, "member");
    const a = await createCompanyVia(token, { name: "A" });
    const b = await createCompanyVia(token, { name: "B" });
    const contact = await createContactVia(token, { firstName: "Linked", companyId: b.id });

    const updated = await api("POST", "/api/v1/companies/bulk", {
      token,
      body: { action: "update", ids: [a.id, b.id], changes: { industry: "Retail", size: "1-10" } },
    });
    expect(await json(updated)).toEqual({
      results: [
        { id: a.id, status: "updated" },
        { id: b.id, status: "updated" },
      ],
    });
    expect(sorted(await listIds(token, "/api/v1/companies?industry=Retail"))).toEqual(sorted([a.id, b.id]));
    expect(
      (
        await api("POST", "/api/v1/companies/bulk", {
          token,
          body: { action: "assign", ids: [b.id], ownerId: member.userId },
        })
      ).status,
    ).toBe(200);
    expect((await getJson(token, `/api/v1/companies/${b.id}`)).ownerId).toBe(member.userId);
    expect(
      (await api("POST", "/api/v1/companies/bulk", { token, body: { action: "tag", ids: [a.id], tags: ["Key"] } }))
        .status,
    ).toBe(200);
    expect(await listIds(token, "/api/v1/companies?tag=key")).toEqual([a.id]);

    const before = await getJson(token, `/api/v1/companies/${a.id}`);
    const unknown = await expectProblem(
      await api("POST", "/api/v1/companies/bulk", {
        token,
        body: { action: "update", ids: [a.id, "co_01jc9x7d1q8m3v5n2k4p6r8t0w"], changes: { industry: "Oops" } },
      }),
      422,
    );
    expect(unknown.errors).toEqual([{ path: "body.ids.1", message: "No company has this id" }]);
    const badChange = await expectProblem(
      await api("POST", "/api/v1/companies/bulk", {
        token,
        body: { action: "update", ids: [a.id], changes: { domainAuthority: 500 } },
      }),
      422,
    );
    expect(badChange.errors[0].path).toBe("body.changes.domainAuthority");
    expect(await getJson(token, `/api/v1/companies/${a.id}`)).toEqual(before);

    const deleted = await api("POST", "/api/v1/companies/bulk", {
      token,
      body: { action: "delete", ids: [b.id, a.id] },
    });
    expect(await json(deleted)).toEqual({
      results: [
        { id: b.id, status: "deleted" },
        { id: a.id, status: "deleted" },
      ],
    });
    expect(await listIds(token, "/api/v1/companies")).toEqual([]);
    expect((await getJson(token, `/api/v1/contacts/${contact.id}`)).companyId).toBeNull();
  });
});

describe("companies: visibility and another tenant", () => {
  it("a member with 'own' visibility sees only their companies; another tenant sees none and gets 404", async () => {
    const owner = await signupTenant();
    const member = await addMember(owner, "member");
    const ownersCompany = await createCompanyVia(owner.accessToken, {
      name: "Kangaroo Corp",
      domain: "kangaroo.example",
    });
    const membersCompany = await createCompanyVia(member.accessToken, { name: "Kangaroo Jr" });
    await setRecordVisibility(owner, { member: "own" });
    expect(await listIds(member.accessToken, "/api/v1/companies?q=kangaroo")).toEqual([membersCompany.id]);
    await expectProblem(
      await api("GET", `/api/v1/companies/${ownersCompany.id}`, { token: member.accessToken }),
      404,
      "NOT_FOUND",
    );
    await expectProblem(
      await api("GET", `/api/v1/companies/${ownersCompany.id}/contacts`, { token: member.accessToken }),
      404,
      "NOT_FOUND",
    );

    const stranger = await signupTenant("Stranger");
    const strangerKey = await createKey(stranger, ["companies:read", "companies:write", "contacts:read", "deals:read"]);
    for (const token of [stranger.accessToken, strangerKey.key]) {
      const id = ownersCompany.id;
      await expectProblem(await api("GET", `/api/v1/companies/${id}`, { token }), 404, "NOT_FOUND");
      await expectProblem(
        await api("PATCH", `/api/v1/companies/${id}`, { token, body: { name: "Mine" } }),
        404,
        "NOT_FOUND",
      );
      await expectProblem(await api("DELETE", `/api/v1/companies/${id}`, { token }), 404, "NOT_FOUND");
      await expectProblem(await api("GET", `/api/v1/companies/${id}/contacts`, { token }), 404, "NOT_FOUND");
      await expectProblem(await api("GET", `/api/v1/companies/${id}/deals`, { token }), 404, "NOT_FOUND");
      expect(await listIds(token, "/api/v1/companies")).toEqual([]);
      expect(await listIds(token, "/api/v1/companies?q=kangaroo")).toEqual([]);
      const bulk = await expectProblem(
        await api("POST", "/api/v1/companies/bulk", { token, body: { action: "delete", ids: [id] } }),
        422,
      );
      expect(bulk.errors).toEqual([{ path: "body.ids.0", message: "No company has this id" }]);
    }
    // Domains are unique per tenant only.
    await createCompanyVia(stranger.accessToken, { name: "Roo", domain: "kangaroo.example" });
    expect(await getJson(owner.accessToken, `/api/v1/companies/${ownersCompany.id}`)).toEqual(ownersCompany);
  });
});
