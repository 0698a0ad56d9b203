import { describe, expect, it } from "vitest";
import { signupTenant } from "../../../test/harness";
import { ok } from "../tasks/test-support";

const ids = (page: { data: { id: string }[] }) => page.data.map((r) => r.id);

describe("notes stay searchable when their record is rewritten", () => {
  it("keeps a contact's and a company's notes in search through updates, a company rename and a merge", async () => {
    const { accessToken: token } = await signupTenant("Reindex");
    const company = await ok("POST", "/api/v1/companies", token, { name: "Umbrella" });
    const contact = await ok("POST", "/api/v1/contacts", token, {
      firstName: "Jill",
      emails: [{ address: "jill@umbrella.test", primary: true }],
      companyId: company.id,
    });
    const twin = await ok("POST", "/api/v1/contacts", token, {
      firstName: "Jillian",
      emails: [{ address: "jv@umbrella.test", primary: true }],
    });
    await ok("POST", "/api/v1/notes", token, {
      recordType: "contact",
      recordId: contact.id,
      body: "prefers zeppelin deliveries",
    });
    await ok("POST", "/api/v1/notes", token, {
      recordType: "contact",
      recordId: twin.id,
      body: "allergic to marzipan",
    });
    await ok("POST", "/api/v1/notes", token, {
      recordType: "company",
      recordId: company.id,
      body: "headquarters in raccoonville",
    });

    await ok("PATCH", `/api/v1/contacts/${contact.id}`, token, { title: "Field agent" });
    await ok("PATCH", `/api/v1/companies/${company.id}`, token, { name: "Umbrella Corp" });
    expect(ids(await ok("GET", "/api/v1/contacts?q=zeppelin", token))).toEqual([contact.id]);
    expect(ids(await ok("GET", "/api/v1/contacts?q=umbrella%20corp%20zeppelin", token))).toEqual([contact.id]);
    expect(ids(await ok("GET", "/api/v1/companies?q=raccoonville", token))).toEqual([company.id]);

    await ok("POST", "/api/v1/contacts/merge", token, { survivorId: contact.id, mergedId: twin.id }, 200);
    expect(ids(await ok("GET", "/api/v1/contacts?q=marzipan", token))).toEqual([contact.id]);
    expect(ids(await ok("GET", "/api/v1/contacts?q=zeppelin", token))).toEqual([contact.id]);
  });
});
