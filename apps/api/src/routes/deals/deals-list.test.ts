import { describe, expect, it } from "vitest";
import { api, expectProblem, signupTenant } from "../../../test/harness";
import { addMember } from "../../../test/people";
import { createCompanyVia, createContactVia } from "../contacts/test-support";
import { createDeal, get, pipelineNamed, post, stageNamed } from "./test-support";

const names = (page: { data: { name: string }[] }) => page.data.map((d) => d.name);

describe("deals: list filters, sorts, search and pages", () => {
  it("filters by every list parameter and sorts by every sortable field", async () => {
    const owner = await signupTenant();
    const member = await addMember(owner, "member");
    const contact = await createContactVia(owner.accessToken, { firstName: "Ada" });
    const company = await createCompanyVia(owner.accessToken, { name: "Engines Ltd" });
    const sales = await pipelineNamed(owner.accessToken, "Sales");
    const partnership = await pipelineNamed(owner.accessToken, "Partnership");
    await post(owner.accessToken, "/api/v1/custom-fields", {
      objectType: "deal",
      key: "region",
      label: "Region",
      type: "select",
      options: ["emea", "apac"],
    });
    await post(owner.accessToken, "/api/v1/custom-fields", {
      objectType: "deal",
      key: "seats",
      label: "Seats",
      type: "number",
    });

    const alpha = await createDeal(owner.accessToken, {
      name: "Alpha rollout",
      value: 100,
      expectedCloseDate: "2026-03-01",
      contactId: contact.id,
      tags: ["hot"],
      customFields: { region: "emea", seats: 10 },
    });
    const bravo = await createDeal(owner.accessToken, {
      name: "Bravo expansion",
      value: 300,
      expectedCloseDate: "2026-01-15",
      companyId: company.id,
      tags: ["hot", "renewal"],
      customFields: { region: "apac", seats: 50 },
    });
    const charlie = await createDeal(owner.accessToken, {
      name: "Charlie pilot",
      value: 200,
      stageId: stageNamed(sales, "Won").id,
    });
    const delta = await createDeal(member.accessToken, {
      name: "Delta partnership",
      value: 50,
      pipelineId: partnership.id,
      expectedCloseDate: "2026-06-30",
    });

    const list = (query: string) => get(owner.accessToken, `/api/v1/deals${query}`);
    expect(names(await list(""))).toEqual(["Delta partnership", "Charlie pilot", "Bravo expansion", "Alpha rollout"]);
    expect(names(await list(`?pipelineId=${sales.id}&sort=name`))).toEqual([
      "Alpha rollout",
      "Bravo expansion",
      "Charlie pilot",
    ]);
    expect(names(await list(`?stageId=${stageNamed(sales, "Won").id}`))).toEqual(["Charlie pilot"]);
    expect(names(await list("?status=won"))).toEqual(["Charlie pilot"]);
    expect(names(await list(`?ownerId=${member.userId}`))).toEqual(["Delta partnership"]);
    expect(names(await get(member.accessToken, "/api/v1/deals?ownerId=me"))).toEqual(["Delta partnership"]);
    expect(names(await list(`?contactId=${contact.id}`))).toEqual(["Alpha rollout"]);
    expect(names(await list(`?companyId=${company.id}`))).toEqual(["Bravo expansion"]);
    expect(names(await list("?tag=hot&sort=name"))).toEqual(["Alpha rollout", "Bravo expansion"]);
    expect(names(await list("?tag=hot&tag=renewal"))).toEqual(["Bravo expansion"]);
    expect(names(await list("?valueMin=100&valueMax=200&sort=value"))).toEqual(["Alpha rollout", "Charlie pilot"]);
    expect(
      names(await list("?expectedCloseFrom=2026-01-15&expectedCloseTo=2026-03-01&sort=expectedCloseDate")),
    ).toEqual(["Bravo expansion", "Alpha rollout"]);
    expect(
      names(
        await list(
          `?createdFrom=${encodeURIComponent(bravo.createdAt)}&createdTo=${encodeURIComponent(delta.createdAt)}&sort=createdAt`,
        ),
      ),
    ).toEqual(["Bravo expansion", "Charlie pilot"]);
    expect(names(await list("?cf.region=apac"))).toEqual(["Bravo expansion"]);
    expect(names(await list("?cf.seats.gte=20"))).toEqual(["Bravo expansion"]);
    expect(names(await list("?sort=-cf.seats&cf.seats.lte=100"))).toEqual(["Bravo expansion", "Alpha rollout"]);
    expect(names(await list("?q=expan"))).toEqual(["Bravo expansion"]);
    expect(names(await list("?q=pilot charlie"))).toEqual(["Charlie pilot"]);
    expect(names(await list("?sort=-value"))).toEqual([
      "Bravo expansion",
      "Charlie pilot",
      "Alpha rollout",
      "Delta partnership",
    ]);
    // Deals without an expected close date come first ascending (SQLite orders NULL lowest), last descending.
    expect(names(await list("?sort=expectedCloseDate"))).toEqual([
      "Charlie pilot",
      "Bravo expansion",
      "Alpha rollout",
      "Delta partnership",
    ]);
    expect(names(await list("?sort=-expectedCloseDate"))).toEqual([
      "Delta partnership",
      "Alpha rollout",
      "Bravo expansion",
      "Charlie pilot",
    ]);

    // Keyset pages across the NULL expected close dates: every deal once, in order.
    const walk = async (sort: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { data: { id: string }[]; nextCursor: string | null } = await list(
          `?sort=${sort}&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
        );
        seen.push(...page.data.map((d) => d.id));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await walk("expectedCloseDate")).toEqual([charlie.id, bravo.id, alpha.id, delta.id]);
    expect(await walk("-expectedCloseDate")).toEqual([delta.id, alpha.id, bravo.id, charlie.id]);

    for (const [query, path] of [
      ["?sort=probability", "query.sort"],
      ["?status=open", "query.status"],
      ["?expectedCloseFrom=2026-13-01", "query.expectedCloseFrom"],
      ["?cf.unknown=1", "query.cf.unknown"],
      ["?cf.seats=many", "query.cf.seats"],
      ["?valueMin=abc", "query.valueMin"],
    ] as const) {
      const problem = await expectProblem(await api("GET", `/api/v1/deals${query}`, { token: owner.accessToken }), 422);
      expect(problem.errors[0].path, query).toBe(path);
    }
  });
});

describe("deals: bulk", () => {
  it("updates, assigns, tags, untags and deletes all or nothing", async () => {
    const owner = await signupTenant();
    const member = await addMember(owner, "member");
    const sales = await pipelineNamed(owner.accessToken, "Sales");
    const a = await createDeal(owner.accessToken, { name: "A", tags: ["keep"] });
    const b = await createDeal(owner.accessToken, { name: "B" });
    const won = await createDeal(owner.accessToken, { name: "Won one", stageId: stageNamed(sales, "Won").id });
    const bulk = (body: unknown) => api("POST", "/api/v1/deals/bulk", { token: owner.accessToken, body });

    const unknown = await bulk({
      action: "update",
      ids: [a.id, b.id, "deal_unknown", a.id],
      changes: { status: "paused" },
    });
    expect((await expectProblem(unknown, 422)).errors).toEqual([
      { path: "body.ids.2", message: "No deal has this id" },
      { path: "body.ids.3", message: "Listed more than once" },
    ]);
    const conflicting = await bulk({ action: "update", ids: [a.id, won.id], changes: { status: "paused" } });
    expect((await expectProblem(conflicting, 422)).errors.map((e: { path: string }) => e.path)).toEqual(["body.ids.1"]);
    expect((await get(owner.accessToken, `/api/v1/deals/${a.id}`)).status).toBe("active");

    const badChange = await bulk({ action: "update", ids: [a.id], changes: { currency: "eur" } });
    expect((await expectProblem(badChange, 422)).errors[0].path).toBe("body.changes.currency");

    const updated = await bulk({
      action: "update",
      ids: [a.id, b.id],
      changes: { status: "paused", expectedCloseDate: "2026-09-01" },
    });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toEqual({
      results: [
        { id: a.id, status: "updated" },
        { id: b.id, status: "updated" },
      ],
    });
    expect(await get(owner.accessToken, `/api/v1/deals/${b.id}`)).toMatchObject({
      status: "paused",
      expectedCloseDate: "2026-09-01",
    });

    expect((await bulk({ action: "assign", ids: [a.id, b.id], ownerId: member.userId })).status).toBe(200);
    expect(
      (await get(owner.accessToken, `/api/v1/deals?ownerId=${member.userId}&sort=name`)).data.map(
        (d: { name: string }) => d.name,
      ),
    ).toEqual(["A", "B"]);
    expect((await bulk({ action: "tag", ids: [a.id, b.id], tags: ["Q4", "keep"] })).status).toBe(200);
    expect((await get(owner.accessToken, `/api/v1/deals/${a.id}`)).tags).toEqual(["keep", "q4"]);
    expect((await bulk({ action: "untag", ids: [a.id, b.id], tags: ["keep"] })).status).toBe(200);
    expect(
      (await get(owner.accessToken, "/api/v1/deals?tag=q4&sort=name")).data.map(
        (d: { name: string; tags: string[] }) => [d.name, d.tags],
      ),
    ).toEqual([
      ["A", ["q4"]],
      ["B", ["q4"]],
    ]);
    expect((await get(owner.accessToken, "/api/v1/deals?tag=keep")).data).toEqual([]);

    const deleted = await bulk({ action: "delete", ids: [a.id, b.id] });
    expect(await deleted.json()).toEqual({
      results: [
        { id: a.id, status: "deleted" },
        { id: b.id, status: "deleted" },
      ],
    });
    expect((await get(owner.accessToken, "/api/v1/deals")).data.map((d: { id: string }) => d.id)).toEqual([won.id]);
    expect((await get(owner.accessToken, "/api/v1/deals?q=A")).data).toEqual([]);
  });
});
