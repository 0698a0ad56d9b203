import { beforeAll, describe, expect, it } from "vitest";
import { api, createKey, expectProblem, signupTenant, type TestTenant } from "../../../test/harness";
import { createContactVia, defineCustomField, getJson, setRecordVisibility } from "../contacts/test-support";
import { addMember } from "../../../test/people";
import { finished, parseCsv, start, uploaded } from "./test-support";

let a: TestTenant;
let b: TestTenant;
beforeAll(async () => {
  [a, b] = await Promise.all([signupTenant("Tenant A"), signupTenant("Tenant B")]);
});

async function exportCsv(token: string, path: string) {
  const response = await api("GET", path, { token });
  expect(response.status, await response.clone().text()).toBe(200);
  return { response, rows: parseCsv(await response.text()) };
}

describe("CSV export", () => {
  it("exports exactly the filtered list, with custom fields as columns and correct quoting", async () => {
    await defineCustomField(a, { objectType: "contact", key: "plan", type: "select", options: ["free", "pro"] });
    const vip = await createContactVia(a.accessToken, {
      firstName: "Quote",
      lastName: 'O"Neil, Jr.',
      emails: [{ address: "quote@example.com" }, { address: "q2@example.com" }],
      title: "Line one\nline two",
      tags: ["vip", "export"],
      customFields: { plan: "pro" },
    });
    const other = await createContactVia(a.accessToken, {
      firstName: "Plain",
      tags: ["export"],
      customFields: { plan: "free" },
    });
    await createContactVia(a.accessToken, { firstName: "Untagged" });

    const { response, rows } = await exportCsv(a.accessToken, "/api/v1/contacts/export?tag=export&sort=name");
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const [header, ...records] = rows;
    expect(header).toEqual([
      "id",
      "firstName",
      "lastName",
      "emails",
      "phones",
      "title",
      "companyId",
      "lifecycleStage",
      "lifecycleStageChangedAt",
      "leadStatus",
      "source",
      "ownerId",
      "tags",
      "consent.status",
      "consent.changedAt",
      "consent.source",
      "doNotContact",
      "timeZone",
      "address.street",
      "address.city",
      "address.region",
      "address.postalCode",
      "address.country",
      "socialLinks",
      "createdAt",
      "updatedAt",
      "cf.plan",
    ]);
    const column = (name: string) => header!.indexOf(name);
    // Sorted by name ("last first"): "o"neil, jr. quote" before "plain".
    expect(records.map((r) => r[column("id")])).toEqual([vip.id, other.id]);
    expect(records[0]![column("lastName")]).toBe('O"Neil, Jr.');
    expect(records[0]![column("emails")]).toBe("quote@example.com; q2@example.com");
    expect(records[0]![column("title")]).toBe("Line one\nline two");
    expect(records[0]![column("tags")]).toBe("vip; export");
    expect(records[0]![column("doNotContact")]).toBe("false");
    expect(records[0]![column("cf.plan")]).toBe("pro");
    expect(records[1]![column("cf.plan")]).toBe("free");

    const pro = await exportCsv(a.accessToken, "/api/v1/contacts/export?cf.plan=pro");
    expect(pro.rows.slice(1).map((r) => r[0])).toEqual([vip.id]);
    const searched = await exportCsv(a.accessToken, "/api/v1/contacts/export?q=plain");
    expect(searched.rows.slice(1).map((r) => r[0])).toEqual([other.id]);
  });

  it("pages through a list longer than one page", async () => {
    const tenant = await signupTenant("Many");
    const csv = ["Email", ...Array.from({ length: 450 }, (_, i) => `many${i}@example.com`)].join("\n");
    const { import: job, mapping } = await uploaded(tenant.accessToken, "contact", csv);
    await start(tenant.accessToken, job.id, { mapping });
    expect((await finished(tenant.accessToken, job.id)).progress.created).toBe(450);
    const { rows } = await exportCsv(tenant.accessToken, "/api/v1/contacts/export?sort=name");
    expect(rows).toHaveLength(451);
    expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(450);
    expect(rows.slice(1).map((r) => r[3])).toEqual(
      Array.from({ length: 450 }, (_, i) => `many${i}@example.com`).sort(),
    );
  });

  it("applies record visibility: a member who sees only their own records exports only those", async () => {
    const tenant = await signupTenant("Private");
    const member = await addMember(tenant, "member");
    await setRecordVisibility(tenant, { member: "own" });
    await createContactVia(tenant.accessToken, { firstName: "Owner's" });
    const mine = await createContactVia(member.accessToken, { firstName: "Member's" });
    const { rows } = await exportCsv(member.accessToken, "/api/v1/contacts/export");
    expect(rows.slice(1).map((r) => r[0])).toEqual([mine.id]);
  });

  it("exports every object type; a bad filter is a problem, not a broken file", async () => {
    for (const plural of ["companies", "leads", "deals", "tasks"]) {
      const { rows } = await exportCsv(a.accessToken, `/api/v1/${plural}/export`);
      expect(rows[0]![0], plural).toBe("id");
    }
    const problem = await expectProblem(
      await api("GET", "/api/v1/contacts/export?sort=shoeSize", { token: a.accessToken }),
      422,
      "VALIDATION_FAILED",
    );
    expect(problem.errors[0].path).toBe("query.sort");
  });
});

describe("imports and exports between tenants", () => {
  it("tenant B cannot see, start, cancel or download tenant A's import, nor export A's records", async () => {
    const { import: job, mapping } = await uploaded(
      a.accessToken,
      "contact",
      "Email,Name\nsecret@example.com,Secret\n",
    );
    const bKey = (await createKey(b, ["imports:read", "imports:write", "contacts:read"])).key;
    for (const token of [b.accessToken, bKey]) {
      await expectProblem(await api("GET", `/api/v1/imports/${job.id}`, { token }), 404, "NOT_FOUND");
      await expectProblem(await api("GET", `/api/v1/imports/${job.id}/errors`, { token }), 404, "NOT_FOUND");
      await expectProblem(await api("POST", `/api/v1/imports/${job.id}/cancel`, { token }), 404, "NOT_FOUND");
      await expectProblem(
        await api("POST", `/api/v1/imports/${job.id}/start`, { token, body: { mapping } }),
        404,
        "NOT_FOUND",
      );
      await expectProblem(
        await api("POST", `/api/v1/imports/${job.id}/preview`, { token, body: { mapping } }),
        404,
        "NOT_FOUND",
      );
      const list = await getJson(token, "/api/v1/imports?limit=200");
      expect(list.data.map((i: { id: string }) => i.id)).not.toContain(job.id);
    }
    await start(a.accessToken, job.id, { mapping: { Email: "email", Name: "firstName" } });
    await finished(a.accessToken, job.id);
    const theirs = await exportCsv(b.accessToken, "/api/v1/contacts/export?q=secret");
    expect(theirs.rows).toHaveLength(1);
    const everything = await api("GET", "/api/v1/contacts/export", { token: b.accessToken });
    expect(await everything.text()).not.toContain("secret@example.com");
    const ours = await exportCsv(a.accessToken, "/api/v1/contacts/export?q=secret");
    expect(ours.rows.slice(1).map((r) => r[3])).toEqual(["secret@example.com"]);
    // A's mapping is remembered for A only.
    const bUpload = await uploaded(b.accessToken, "contact", "Email,Name\nb@example.com,B\n");
    expect(bUpload.mapping).toEqual({ Email: "email", Name: null });
  });
});
