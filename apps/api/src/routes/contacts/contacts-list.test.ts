import { describe, expect, it } from "vitest";
import { api, expectProblem, json, signupTenant } from "../../../test/harness";
import { userIdOf } from "../../../test/people";
import { createCompanyVia, createContactVia, defineCustomField, getJson, listIds } from "./test-support";

/** Follows nextCursor from the first page to the last and returns every id, in order. */
async function walk(token: string, path: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const separator = path.includes("?") ? "&" : "?";
    const page = await getJson(
      token,
      `${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    expect(page.data.length).toBeLessThanOrEqual(limit);
    ids.push(...page.data.map((r: { id: string }) => r.id));
    cursor = page.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error("more than 50 pages");
}

const sorted = (ids: string[]) => [...ids].sort();

describe("contacts list: filters", () => {
  it("filters by owner, stage, status, source, company, tags, consent, do-not-contact, time ranges and custom fields", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const ownerId = await userIdOf(owner);
    await defineCustomField(owner, { objectType: "contact", key: "plan", type: "select", options: ["free", "pro"] });
    await defineCustomField(owner, { objectType: "contact", key: "seats", type: "number" });
    await defineCustomField(owner, { objectType: "contact", key: "trial", type: "boolean" });
    await defineCustomField(owner, {
      objectType: "contact",
      key: "modules",
      type: "multi_select",
      options: ["crm", "mail", "ai"],
    });
    const acme = await createCompanyVia(token, { name: "Acme" });

    const a = await createContactVia(token, {
      firstName: "A",
      lifecycleStage: "lead",
      leadStatus: "new",
      source: "webinar",
      tags: ["vip", "emea"],
      companyId: acme.id,
      customFields: { plan: "pro", seats: 10, trial: false, modules: ["crm", "ai"] },
    });
    const b = await createContactVia(token, {
      firstName: "B",
      lifecycleStage: "customer",
      source: "referral",
      tags: ["vip"],
      consent: { status: "opted_out" },
      doNotContact: true,
      customFields: { plan: "free", seats: 2, trial: true, modules: ["mail"] },
    });
    const c = await createContactVia(token, {
      firstName: "C",
      lifecycleStage: "lead",
      leadStatus: "contacted",
      ownerId: null,
      companyId: acme.id,
      consent: { status: "opted_in" },
      customFields: { seats: 5 },
    });

    const cases: [string, string[]][] = [
      ["ownerId=me", [a.id, b.id]],
      [`ownerId=${ownerId}`, [a.id, b.id]],
      ["lifecycleStage=lead", [a.id, c.id]],
      ["leadStatus=contacted", [c.id]],
      ["source=referral", [b.id]],
      [`companyId=${acme.id}`, [a.id, c.id]],
      ["tag=vip", [a.id, b.id]],
      ["tag=vip&tag=emea", [a.id]],
      ["tag=VIP", []],
      ["consentStatus=opted_out", [b.id]],
      ["consentStatus=unknown", [a.id]],
      ["doNotContact=true", [b.id]],
      ["doNotContact=false", [a.id, c.id]],
      [`createdFrom=${b.createdAt}`, [b.id, c.id]],
      [`createdTo=${b.createdAt}`, [a.id]],
      [`createdFrom=${b.createdAt}&createdTo=${c.createdAt}`, [b.id]],
      [`updatedFrom=${c.updatedAt}`, [c.id]],
      ["cf.plan=pro", [a.id]],
      ["cf.seats=5", [c.id]],
      ["cf.seats.gte=5", [a.id, c.id]],
      ["cf.seats.gte=3&cf.seats.lte=6", [c.id]],
      ["cf.trial=true", [b.id]],
      ["cf.trial=false", [a.id]],
      ["cf.modules=ai", [a.id]],
      ["lifecycleStage=lead&cf.seats.lte=9", [c.id]],
    ];
    for (const [query, expected] of cases) {
      expect(sorted(await listIds(token, `/api/v1/contacts?${query}`)), query).toEqual(sorted(expected));
    }
  });

  it("rejects unknown filters' values, sorts and cursors with 422 at the query path", async () => {
    const owner = await signupTenant();
    await defineCustomField(owner, { objectType: "contact", key: "plan", type: "select", options: ["free", "pro"] });
    await defineCustomField(owner, { objectType: "contact", key: "seats", type: "number" });
    const cases: [string, string][] = [
      ["cf.nope=1", "query.cf.nope"],
      ["cf.plan.gte=free", "query.cf.plan.gte"],
      ["cf.seats=many", "query.cf.seats"],
      ["sort=email", "query.sort"],
      ["sort=constructor", "query.sort"],
      ["sort=-__proto__", "query.sort"],
      ["cursor=not-a-cursor", "query.cursor"],
      ["lifecycleStage=prospect", "query.lifecycleStage"],
      ["createdFrom=yesterday", "query.createdFrom"],
      ["limit=0", "query.limit"],
    ];
    for (const [query, path] of cases) {
      const problem = await expectProblem(
        await api("GET", `/api/v1/contacts?${query}`, { token: owner.accessToken }),
        422,
        "VALIDATION_FAILED",
      );
      expect(
        problem.errors.map((e: { path: string }) => e.path),
        query,
      ).toEqual([path]);
    }
    // A cursor made for one sort is refused by another.
    await createContactVia(owner.accessToken, { firstName: "A" });
    await createContactVia(owner.accessToken, { firstName: "B" });
    const page = await getJson(owner.accessToken, "/api/v1/contacts?limit=1&sort=name");
    const mismatch = await api("GET", `/api/v1/contacts?limit=1&cursor=${page.nextCursor}`, {
      token: owner.accessToken,
    });
    await expectProblem(mismatch, 422, "VALIDATION_FAILED");
  });
});

describe("contacts list: search", () => {
  it("finds contacts by a partial name, any email, a phone (as typed or as digits), the title and the company's name", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const company = await createCompanyVia(token, { name: "Analytical Engines" });
    const ada = await createContactVia(token, {
      firstName: "Ada",
      lastName: "Lovelace",
      emails: [{ address: "ada@example.com" }, { address: "countess@lovelace.example" }],
      phones: [{ number: "+44 20 7946 0018" }],
      title: "Mathematician",
      companyId: company.id,
    });
    const grace = await createContactVia(token, {
      firstName: "Grace",
      lastName: "Hopper",
      emails: [{ address: "grace@navy.example" }],
      phones: [{ number: "+1 (555) 010-2345" }],
    });

    const cases: [string, string[]][] = [
      ["love", [ada.id]],
      ["ada lov", [ada.id]],
      ["countess@lovelace.example", [ada.id]],
      ["grace@navy.example", [grace.id]],
      ["+44 20 7946 0018", [ada.id]],
      ["2079460018", [ada.id]],
      ["5550102345", [grace.id]],
      ["555-010", [grace.id]],
      ["mathem", [ada.id]],
      ["analytical", [ada.id]],
      ["hopper lovelace", []],
      ["nobody", []],
    ];
    for (const [q, expected] of cases) {
      expect(await listIds(token, `/api/v1/contacts?q=${encodeURIComponent(q)}`), q).toEqual(expected);
    }

    // A rename of the company is searchable on its contacts at once; the old name no longer matches.
    const renamed = await api("PATCH", `/api/v1/companies/${company.id}`, {
      token,
      body: { name: "Difference Engines" },
    });
    expect(renamed.status).toBe(200);
    expect(await listIds(token, "/api/v1/contacts?q=difference")).toEqual([ada.id]);
    expect(await listIds(token, "/api/v1/contacts?q=analytical")).toEqual([]);

    // Changing a contact's email re-indexes it.
    await api("PATCH", `/api/v1/contacts/${grace.id}`, {
      token,
      body: { emails: [{ address: "admiral@cobol.example" }] },
    });
    expect(await listIds(token, "/api/v1/contacts?q=cobol")).toEqual([grace.id]);
    expect(await listIds(token, "/api/v1/contacts?q=navy")).toEqual([]);
    // Search combines with filters.
    expect(await listIds(token, `/api/v1/contacts?q=engines&companyId=${company.id}`)).toEqual([ada.id]);
  });
});

describe("contacts list: pagination and sort", () => {
  it("keeps page 2 exactly after page 1 while new contacts are inserted", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const firstSeven: string[] = [];
    for (let i = 1; i <= 7; i++) firstSeven.push((await createContactVia(token, { firstName: `Early ${i}` })).id);
    const newestFirst = [...firstSeven].reverse();

    const page1 = await getJson(token, "/api/v1/contacts?limit=5");
    expect(page1.data.map((r: { id: string }) => r.id)).toEqual(newestFirst.slice(0, 5));
    expect(page1.nextCursor).toEqual(expect.any(String));

    const late: string[] = [];
    for (let i = 1; i <= 3; i++) late.push((await createContactVia(token, { firstName: `Late ${i}` })).id);

    const page2 = await getJson(token, `/api/v1/contacts?limit=5&cursor=${page1.nextCursor}`);
    expect(page2.data.map((r: { id: string }) => r.id)).toEqual(newestFirst.slice(5));
    expect(page2.nextCursor).toBeNull();

    expect(await walk(token, "/api/v1/contacts", 5)).toEqual([...late.reverse(), ...newestFirst]);
  });

  it("sorts by name both ways and walks the cursors without repeats or gaps", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const people: [Record<string, unknown>, string][] = [
      [{ firstName: "Ada", lastName: "Lovelace" }, "lovelace ada"],
      [{ firstName: "Grace", lastName: "Hopper" }, "hopper grace"],
      [{ firstName: "Alan", lastName: "Turing" }, "turing alan"],
      [{ firstName: "Edsger", lastName: "Dijkstra" }, "dijkstra edsger"],
      [{ firstName: "Anna", lastName: "Hopper" }, "hopper anna"],
      [{ emails: [{ address: "zed@example.com" }] }, "zed@example.com"],
      [{ firstName: "Cher" }, "cher"],
      [{ firstName: "Barbara", lastName: "Liskov" }, "liskov barbara"],
    ];
    const byKey = new Map<string, string>();
    for (const [body, key] of people) byKey.set(key, (await createContactVia(token, body)).id);
    const ascending = [...byKey.keys()].sort().map((k) => byKey.get(k)!);

    expect(await walk(token, "/api/v1/contacts?sort=name", 3)).toEqual(ascending);
    expect(await walk(token, "/api/v1/contacts?sort=-name", 2)).toEqual([...ascending].reverse());
    expect(await walk(token, "/api/v1/contacts?sort=createdAt", 3)).toEqual([...byKey.values()]);
  });

  it("sorts by lifecycleStageChangedAt and by a custom field, NULLs included, across pages", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    await defineCustomField(owner, { objectType: "contact", key: "seats", type: "number" });
    type Row = { id: string; lifecycleStageChangedAt: string | null; customFields: Record<string, unknown> };
    const rows: Row[] = [];
    const stages = ["lead", undefined, "customer", undefined, "mql", "lead", undefined];
    const seats = [3, undefined, 3, 10, undefined, 1, 7];
    for (let i = 0; i < stages.length; i++) {
      rows.push(
        await createContactVia(token, {
          firstName: `P${i}`,
          ...(stages[i] ? { lifecycleStage: stages[i] } : {}),
          ...(seats[i] !== undefined ? { customFields: { seats: seats[i] } } : {}),
        }),
      );
    }
    // SQLite's order: NULLs first ascending, last descending; ties broken by id.
    const reference = (value: (r: Row) => string | number | null, direction: 1 | -1) =>
      [...rows]
        .sort((x, y) => {
          const vx = value(x);
          const vy = value(y);
          if (vx === vy) return (x.id < y.id ? -1 : 1) * direction;
          if (vx === null) return -direction;
          if (vy === null) return direction;
          return (vx < vy ? -1 : 1) * direction;
        })
        .map((r) => r.id);
    const changedAt = (r: Row) => r.lifecycleStageChangedAt;
    const seatCount = (r: Row) => (r.customFields.seats as number | undefined) ?? null;

    expect(await walk(token, "/api/v1/contacts?sort=lifecycleStageChangedAt", 2)).toEqual(reference(changedAt, 1));
    expect(await walk(token, "/api/v1/contacts?sort=-lifecycleStageChangedAt", 2)).toEqual(reference(changedAt, -1));
    expect(await walk(token, "/api/v1/contacts?sort=cf.seats", 2)).toEqual(reference(seatCount, 1));
    expect(await walk(token, "/api/v1/contacts?sort=-cf.seats", 3)).toEqual(reference(seatCount, -1));
  });
});

describe("contacts list: response shape", () => {
  it("returns { data, nextCursor } with full contact bodies", async () => {
    const owner = await signupTenant();
    const created = await createContactVia(owner.accessToken, { firstName: "Only", tags: ["one"] });
    const response = await api("GET", "/api/v1/contacts", { token: owner.accessToken });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ data: [created], nextCursor: null });
  });
});

describe("contacts list: items as GET /contacts/{id} shows them", () => {
  it("lists every contact exactly as GET /contacts/{id} shows it, plain, searched, sorted and paged", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    await defineCustomField(owner, { objectType: "contact", key: "note", type: "text" });
    await defineCustomField(owner, { objectType: "contact", key: "seats", type: "number" });
    await defineCustomField(owner, { objectType: "contact", key: "trial", type: "boolean" });
    await defineCustomField(owner, { objectType: "contact", key: "renewal", type: "date" });
    await defineCustomField(owner, { objectType: "contact", key: "site", type: "url" });
    await defineCustomField(owner, {
      objectType: "contact",
      key: "modules",
      type: "multi_select",
      options: ["crm", "mail", "ai"],
    });
    const company = await createCompanyVia(token, { name: "Rendered Ltd" });
    // Every field set, with quotes, backslashes, control characters and non-ASCII text.
    const full = await createContactVia(token, {
      firstName: 'Zoë "Zee"',
      lastName: "O'Brien \\ Ünal",
      emails: [
        { address: "zoe@rendered.example", label: "work" },
        { address: "zee@home.example", primary: true },
      ],
      phones: [{ number: "+44 20 7946 0958", label: "desk" }, { number: "+1 (555) 010-2345" }],
      title: "Head of 🚀\nGrowth",
      companyId: company.id,
      lifecycleStage: "customer",
      leadStatus: "qualified",
      source: "webinar",
      tags: ["vip", "émea"],
      consent: { status: "opted_in", source: "form\t2" },
      doNotContact: true,
      timeZone: "Europe/London",
      address: { street: '1 "Quoted" Road', city: "Zürich", country: "CH" },
      socialLinks: { linkedin: "https://www.linkedin.com/in/zoe?x=1&y=2" },
      customFields: {
        note: 'line one\nline "two" \u0001 ✓',
        seats: 12.5,
        trial: false,
        renewal: "2027-02-28",
        site: "https://rendered.example/a/b",
        modules: ["ai", "crm"],
      },
    });
    const bare = await createContactVia(token, { emails: [{ address: "bare@rendered.example" }] });
    // Every email and phone labelled, labels that look like JSON.
    const named = await createContactVia(token, {
      firstName: "Ren",
      emails: [{ address: "ren@rendered.example", label: 'home } "label": x' }],
      phones: [
        { number: "555 0100", label: "}" },
        { number: "555 0101", label: '"label":' },
      ],
      customFields: { seats: 3, trial: true },
    });
    const unlabelledPhones = await createContactVia(token, {
      lastName: "Phones",
      phones: [{ number: "555 0102" }, { number: "(555) 0103" }],
    });
    const texts = new Map<string, string>();
    for (const contact of [full, bare, named, unlabelledPhones]) {
      const response = await api("GET", `/api/v1/contacts/${contact.id}`, { token });
      texts.set(contact.id, JSON.stringify(await response.json()));
    }
    // Mixed labels (full), none (bare, unlabelledPhones) and all (named): `label` always there.
    expect(JSON.parse(texts.get(bare.id)!).emails).toEqual([
      { address: "bare@rendered.example", primary: true, label: null },
    ]);
    // Every member of GET /contacts/{id} is there, none of them null, in the full contact.
    const fullBody = JSON.parse(texts.get(full.id)!) as Record<string, unknown>;
    expect(Object.entries(fullBody).filter(([, value]) => value === null)).toEqual([]);

    const queries = [
      "",
      "?q=rendered",
      "?q=zoe",
      "?sort=name",
      "?sort=-cf.seats",
      "?sort=createdAt&limit=2",
      "?q=0102",
      // Searched with a filter, another sort and a page size, as the search's other readings run.
      "?q=rendered&sort=name",
      "?q=rendered&lifecycleStage=customer",
      "?q=rendered&sort=-cf.seats&limit=1",
      "?q=rendered&sort=-createdAt&limit=1",
    ];
    for (const query of queries) {
      const response = await api("GET", `/api/v1/contacts${query}`, { token });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/json");
      const page = (await response.json()) as { data: { id: string }[]; nextCursor: string | null };
      expect(page.data.length, query).toBeGreaterThan(0);
      for (const item of page.data) expect(JSON.stringify(item), `${query} ${item.id}`).toBe(texts.get(item.id));
    }
    const searched = await getJson(token, "/api/v1/contacts?q=zee");
    expect(searched.data.map((c: { id: string }) => c.id)).toEqual([full.id]);
    // A custom field's cursor leads to the rest.
    const first = await getJson(token, "/api/v1/contacts?sort=-cf.seats&limit=1");
    expect(first.data.map((c: { id: string }) => c.id)).toEqual([full.id]);
    const second = await getJson(token, `/api/v1/contacts?sort=-cf.seats&limit=1&cursor=${first.nextCursor}`);
    expect(second.data.map((c: { id: string }) => c.id)).toEqual([named.id]);
    // The same walk searched: each page's cursor leads to the next match in that order.
    const searchedFirst = await getJson(token, "/api/v1/contacts?q=rendered&sort=-cf.seats&limit=1");
    expect(searchedFirst.data.map((c: { id: string }) => c.id)).toEqual([full.id]);
    const searchedSecond = await getJson(
      token,
      `/api/v1/contacts?q=rendered&sort=-cf.seats&limit=1&cursor=${searchedFirst.nextCursor}`,
    );
    expect(searchedSecond.data.map((c: { id: string }) => c.id)).toEqual([named.id]);
  });
});
