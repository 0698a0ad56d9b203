import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, signupTenant, type TestTenant } from "../../../test/harness";
import { createContactVia, defineCustomField, getJson } from "../contacts/test-support";
import { finished, start, uploaded } from "./test-support";

/**
 * An import writes each new contact's rows as values, per table (not through each record's
 * statements): what it stores must be what the API stores for the same contacts. The same
 * contacts go into one tenant by import and into another by POST and PATCH /contacts, and
 * every table a contact write touches is compared, with ids, times and the tenant masked.
 */
const csv =
  "First name,Last name,Email,Phone,Job title,Stage,Tags,Seats,Plan,Do not contact,Consent,Street,City\n" +
  'Ada,Lovelace,ada@example.com,+1 (555) 010-2345,"Analyst, level 2",lead,"vip, beta","1,250",gold,,,,\n' +
  "Grace,Hopper,grace@@example,,Admiral,,,,,,,,\n" +
  "Linus,Torvalds,linus@example.com,,Kernel maintainer,,kernel,,,,,,\n" +
  "Alan,Turing,alan@example.com,,,customer,,7,,yes,opted_out,1 Bletchley Park,\n" +
  "Ada,,ada@example.com,,Engine designer,,,,,,,,\n" +
  ",,katherine@example.com,,,,,lots,,,,,\n" +
  'Mary,"Jackson, Jr.",MARY@example.com,,,,"math, ""space""",,silver,no,opted_in,"12 ""Main"" St\nFloor 2",Hampton\n';

/** What the import should do with each good row, as API calls (the rows' create bodies). */
const throughApi: { create?: Record<string, unknown>; patch?: { email: string; body: Record<string, unknown> } }[] = [
  {
    create: {
      firstName: "Ada",
      lastName: "Lovelace",
      emails: [{ address: "ada@example.com" }],
      phones: [{ number: "+1 (555) 010-2345" }],
      title: "Analyst, level 2",
      lifecycleStage: "lead",
      tags: ["vip", "beta"],
      customFields: { seats: 1250, plan: "gold" },
    },
  },
  {
    patch: {
      email: "linus@example.com",
      body: {
        firstName: "Linus",
        lastName: "Torvalds",
        emails: [{ address: "linus@example.com" }],
        title: "Kernel maintainer",
        tags: ["kernel"],
      },
    },
  },
  {
    create: {
      firstName: "Alan",
      lastName: "Turing",
      emails: [{ address: "alan@example.com" }],
      lifecycleStage: "customer",
      customFields: { seats: 7 },
      doNotContact: true,
      consent: { status: "opted_out" },
      address: { street: "1 Bletchley Park" },
    },
  },
  // The same email again: an update of the contact the import created two rows up.
  {
    patch: {
      email: "ada@example.com",
      body: { firstName: "Ada", emails: [{ address: "ada@example.com" }], title: "Engine designer" },
    },
  },
  {
    create: {
      firstName: "Mary",
      lastName: "Jackson, Jr.",
      emails: [{ address: "MARY@example.com" }],
      tags: ["math", '"space"'],
      customFields: { plan: "silver" },
      doNotContact: false,
      consent: { status: "opted_in" },
      address: { street: '12 "Main" St\nFloor 2', city: "Hampton" },
    },
  },
];

async function setUp(name: string): Promise<TestTenant> {
  const tenant = await signupTenant(name);
  await defineCustomField(tenant, { objectType: "contact", key: "seats", type: "number" });
  await defineCustomField(tenant, { objectType: "contact", key: "plan", type: "select", options: ["gold", "silver"] });
  await createContactVia(tenant.accessToken, { firstName: "Linus", emails: [{ address: "linus@example.com" }] });
  return tenant;
}

type Row = Record<string, unknown>;

/** Every row a contact write leaves in the tenant's tables, ids, times and the tenant's own names masked. */
async function storedRows(tenant: TestTenant) {
  const all = async (query: string) => (await env.DB.prepare(query).bind(tenant.tenantId).all<Row>()).results;
  const contacts = await all("select * from contacts where tenant_id = ?1 order by primary_email");
  const owner = await env.DB.prepare("select id from users where email = ?").bind(tenant.email).first<string>("id");
  const emailOf = new Map(contacts.map((c) => [c.id as string, c.primary_email as string]));
  const masked = (value: unknown): unknown => {
    if (typeof value !== "string") return value;
    let text = value;
    for (const [id, email] of emailOf) text = text.replaceAll(id, `<${email}>`);
    return text
      .replaceAll(tenant.tenantId.replace(/[^a-zA-Z0-9]/g, ""), "<tenant>")
      .replaceAll(tenant.tenantId, "<tenant>")
      .replaceAll(owner!, "<owner>")
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "<time>");
  };
  const clean = (rows: Row[], drop: string[]) =>
    rows.map((row) =>
      Object.fromEntries(
        Object.entries(row)
          .filter(([key]) => !drop.includes(key))
          .map(([key, value]) => [key, key.endsWith("_at") && value !== null ? "<time>" : masked(value)]),
      ),
    );
  const byText = (rows: Row[]) => rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return {
    contacts: clean(contacts, ["tenant_id"]),
    recordTags: byText(clean(await all("select * from record_tags where tenant_id = ?1"), ["tenant_id"])),
    lifecycleHistory: byText(
      clean(await all("select * from contact_lifecycle_history where tenant_id = ?1"), ["id", "tenant_id"]),
    ),
    searchDocuments: byText(
      clean(await all("select * from search_documents where tenant_id = ?1 and record_type = 'contact'"), [
        "rowid",
        "tenant_id",
      ]),
    ),
    searchIndex: byText(
      clean(
        await all(
          "select d.record_id, i.scope, i.body from search_index i join search_documents d on d.rowid = i.rowid where d.tenant_id = ?1",
        ),
        [],
      ),
    ),
    audit: byText(
      clean(await all("select * from audit_log where tenant_id = ?1 and entity = 'contact'"), [
        "id",
        "tenant_id",
        "request_id",
      ]),
    ),
  };
}

describe("an import's new contacts", () => {
  it("are stored row for row as the API stores them: contacts, tags, history, search and audit entries", async () => {
    const imported = await setUp("Imported rows");
    const { import: job, mapping } = await uploaded(imported.accessToken, "contact", csv);
    expect(mapping).toMatchObject({
      Seats: "cf.seats",
      Plan: "cf.plan",
      Stage: "lifecycleStage",
      Phone: "phone",
      "Do not contact": "doNotContact",
      Consent: "consentStatus",
      Street: "street",
      City: "city",
    });
    await start(imported.accessToken, job.id, { mapping, matchKey: "email", policy: "skip_bad_rows" });
    const done = await finished(imported.accessToken, job.id);
    expect(done.progress).toMatchObject({ created: 3, updated: 2, skipped: 0, failed: 2 });

    const viaApi = await setUp("API rows");
    for (const step of throughApi) {
      if (step.create) await createContactVia(viaApi.accessToken, step.create);
      if (step.patch) {
        const { email, body } = step.patch;
        const [found] = (await getJson(viaApi.accessToken, `/api/v1/contacts?q=${encodeURIComponent(email)}`)).data;
        const response = await api("PATCH", `/api/v1/contacts/${found.id}`, { token: viaApi.accessToken, body });
        expect(response.status, await response.clone().text()).toBe(200);
      }
    }

    const expected = await storedRows(viaApi);
    const actual = await storedRows(imported);
    expect(actual.contacts.map((c) => c.primary_email)).toEqual([
      "ada@example.com",
      "alan@example.com",
      "linus@example.com",
      "mary@example.com",
    ]);
    expect(actual.recordTags.length).toBe(5);
    expect(actual.audit.length).toBe(6);
    expect(actual).toEqual(expected);
  });
});
