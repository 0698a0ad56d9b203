import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { api, expectProblem, json, signupTenant, type TestTenant } from "../../../test/harness";
import type { JobMessage } from "../../jobs/messages";
import worker from "../../worker";
import { createContactVia, defineCustomField, getJson } from "../contacts/test-support";
import { errorReport, finished, start, upload, uploaded } from "./test-support";

let owner: TestTenant;
beforeAll(async () => {
  owner = await signupTenant("Importers");
});

/** Runs the Worker's queue handler on one message, as a (re)delivery would. */
async function deliver(message: JobMessage) {
  const batch = createMessageBatch("crm-jobs", [
    { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: message },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

async function contactsByEmail(token: string, email: string) {
  return (await getJson(token, `/api/v1/contacts?q=${encodeURIComponent(email)}`)).data;
}

const bom = "\uFEFF";
/**
 * Semicolons, a BOM, a quoted field holding the delimiter and a newline, doubled quotes,
 * two bad emails, an exact duplicate row and a row for a contact that already exists.
 */
const messyContacts =
  bom +
  "First Name;Last Name;E-mail;Job Title;Tags\r\n" +
  'Ada;Lovelace;ada@example.com;"Analyst;\nEngine";vip\r\n' +
  "Grace;Hopper;grace@@example;Admiral;\r\n" +
  'Ada;Lovelace;ada@example.com;"Analyst;\nEngine";vip\r\n' +
  'Alan;Turing;ALAN@example.com;;"math, logic"\r\n' +
  "Linus;Torvalds;linus@example.com;Kernel maintainer;\r\n" +
  "Bad;Email;not-an-email;;\r\n" +
  'Katherine;Johnson;katherine@example.com;"The ""computer""";\r\n';

describe("CSV import of contacts", () => {
  it("detects the layout, suggests the mapping and previews each row with its validation", async () => {
    const analysis = await uploaded(owner.accessToken, "contact", messyContacts);
    expect(analysis.import).toMatchObject({
      objectType: "contact",
      status: "uploaded",
      encoding: "utf-8-bom",
      delimiter: ";",
      hasHeader: true,
      columns: ["First Name", "Last Name", "E-mail", "Job Title", "Tags"],
    });
    expect(analysis.mapping).toEqual({
      "First Name": "firstName",
      "Last Name": "lastName",
      "E-mail": "email",
      "Job Title": "title",
      Tags: "tags",
    });
    expect(analysis.matchKey).toBe("email");
    expect(
      analysis.preview.map((r: { rowNumber: number; outcome: string | null }) => [r.rowNumber, r.outcome]),
    ).toEqual([
      [2, "create"],
      [3, null],
      [4, "skip"],
      [5, "create"],
      [6, "create"],
      [7, null],
      [8, "create"],
    ]);
    expect(analysis.preview[0].cells).toEqual({
      "First Name": "Ada",
      "Last Name": "Lovelace",
      "E-mail": "ada@example.com",
      "Job Title": "Analyst;\nEngine",
      Tags: "vip",
    });
    expect(analysis.preview[1].errors).toEqual([
      { column: "E-mail", value: "grace@@example", message: "Invalid email address" },
    ]);
  });

  it("imports a messy file with exact counts, updates by email and reports row-numbered errors", async () => {
    await createContactVia(owner.accessToken, {
      firstName: "Linus",
      emails: [{ address: "linus@example.com" }],
    });
    const { import: job, mapping } = await uploaded(owner.accessToken, "contact", messyContacts);
    await start(owner.accessToken, job.id, { mapping, policy: "skip_bad_rows" });
    const done = await finished(owner.accessToken, job.id);
    expect(done.status).toBe("completed");
    expect(done.progress).toEqual({
      rowsDone: 7,
      created: 3,
      updated: 1,
      skipped: 1,
      failed: 2,
      bytesDone: new TextEncoder().encode(messyContacts).byteLength,
      fraction: 1,
    });

    expect(await errorReport(owner.accessToken, job.id)).toEqual([
      ["row", "column", "value", "message"],
      ["3", "E-mail", "grace@@example", "Invalid email address"],
      ["7", "E-mail", "not-an-email", "Invalid email address"],
    ]);

    const [ada, ...moreAdas] = await contactsByEmail(owner.accessToken, "ada@example.com");
    expect(moreAdas).toEqual([]);
    expect(ada).toMatchObject({ firstName: "Ada", lastName: "Lovelace", title: "Analyst;\nEngine", tags: ["vip"] });
    const [alan] = await contactsByEmail(owner.accessToken, "alan@example.com");
    expect(alan.emails).toEqual([{ address: "alan@example.com", primary: true, label: null }]);
    expect(alan.tags).toEqual(["math", "logic"]);
    const [katherine] = await contactsByEmail(owner.accessToken, "katherine@example.com");
    expect(katherine.title).toBe('The "computer"');
    const linuses = await contactsByEmail(owner.accessToken, "linus@example.com");
    expect(linuses).toHaveLength(1);
    expect(linuses[0]).toMatchObject({ firstName: "Linus", lastName: "Torvalds", title: "Kernel maintainer" });
    expect(await contactsByEmail(owner.accessToken, "grace")).toEqual([]);

    // Written as the API writes a contact: tag index, search index, audit entry by the starter.
    const tagged = (await getJson(owner.accessToken, "/api/v1/contacts?tag=vip")).data;
    expect(tagged.map((c: { id: string }) => c.id)).toEqual([ada.id]);
    expect((await getJson(owner.accessToken, "/api/v1/contacts?q=katherine")).data).toHaveLength(1);
    const audit = (await getJson(owner.accessToken, `/api/v1/audit-log?entityId=${ada.id}`)).data;
    expect(audit.map((e: { action: string; entity: string }) => [e.action, e.entity])).toEqual([["create", "contact"]]);
    expect(audit[0].after.emails).toEqual([{ address: "ada@example.com", primary: true, label: null }]);

    // Webhook subscribers hear of the import's end, once, and not of each row it wrote: Linus
    // has only the event of his creation through the API, none of the import's update.
    const events = await env.DB.prepare(
      `select type, entity_id as entityId, json_extract(data, '$.progress.created') as created
         from domain_events where tenant_id = ? and (type = 'import.completed' or entity_id in (?, ?, ?, ?))
         order by type, entity_id`,
    )
      .bind(owner.tenantId, ada.id, alan.id, katherine.id, linuses[0].id)
      .all();
    expect(events.results).toEqual([
      { type: "contact.created", entityId: linuses[0].id, created: null },
      { type: "import.completed", entityId: job.id, created: 3 },
    ]);
  });

  it("a chunk delivered again after it was written changes nothing", async () => {
    const tenant = await signupTenant("Redelivered");
    const { import: job, mapping } = await uploaded(tenant.accessToken, "contact", messyContacts);
    await start(tenant.accessToken, job.id, { mapping });
    const first = await finished(tenant.accessToken, job.id);
    const contactsBefore = await getJson(tenant.accessToken, "/api/v1/contacts?limit=200");
    const auditBefore = await getJson(tenant.accessToken, "/api/v1/audit-log?limit=200");

    const result = await deliver({
      type: "import.chunk",
      tenantId: tenant.tenantId,
      importId: job.id,
      chunkIndex: 0,
      startByte: 3 + "First Name;Last Name;E-mail;Job Title;Tags\r\n".length,
      firstRow: 2,
    });
    expect(result.explicitAcks).toHaveLength(1);
    expect(await getJson(tenant.accessToken, `/api/v1/imports/${job.id}`)).toEqual(first);
    expect(await getJson(tenant.accessToken, "/api/v1/contacts?limit=200")).toEqual(contactsBefore);
    expect(await getJson(tenant.accessToken, "/api/v1/audit-log?limit=200")).toEqual(auditBefore);
    expect((await errorReport(tenant.accessToken, job.id)).length).toBe(3);
  });

  it("decodes Windows-1252 (é as 0xE9, € as 0x80) and finds the comma delimiter", async () => {
    const tenant = await signupTenant("Legacy");
    // "Prénom,Nom,Poste\nRené,Müller,€ buyer\n" in Windows-1252.
    const text = "Prénom,Nom,Poste\nRené,Müller,€ buyer\n";
    const bytes = Uint8Array.from([...text].map((ch) => (ch === "€" ? 0x80 : ch.charCodeAt(0))));
    expect(bytes.includes(0xe9)).toBe(true);
    const analysis = await uploaded(tenant.accessToken, "contact", bytes);
    expect(analysis.import).toMatchObject({
      encoding: "windows-1252",
      delimiter: ",",
      columns: ["Prénom", "Nom", "Poste"],
    });
    await start(tenant.accessToken, analysis.import.id, {
      mapping: { Prénom: "firstName", Nom: "lastName", Poste: "title" },
      matchKey: "none",
    });
    expect((await finished(tenant.accessToken, analysis.import.id)).progress.created).toBe(1);
    const [rene] = (await getJson(tenant.accessToken, "/api/v1/contacts")).data;
    expect(rene).toMatchObject({ firstName: "René", lastName: "Müller", title: "€ buyer" });
  });

  it("stop-at-first-error writes the rows before the bad one and stops there", async () => {
    const tenant = await signupTenant("Strict");
    const csv = "email,first name\none@example.com,One\nbroken,Two\nthree@example.com,Three\n";
    const { import: job, mapping } = await uploaded(tenant.accessToken, "contact", csv);
    await start(tenant.accessToken, job.id, { mapping, policy: "stop_at_first_error" });
    const done = await finished(tenant.accessToken, job.id);
    expect(done.status).toBe("failed");
    expect(done.failureReason).toBe("Stopped at row 3: the policy is stop at the first error");
    // The uploaded file is dropped once the import has ended.
    expect(await env.IMPORTS.head(`${tenant.tenantId}/${job.id}.csv`)).toBeNull();
    expect(done.progress).toMatchObject({ rowsDone: 2, created: 1, updated: 0, skipped: 0, failed: 1 });
    const contacts = (await getJson(tenant.accessToken, "/api/v1/contacts")).data;
    expect(contacts.map((c: { firstName: string }) => c.firstName)).toEqual(["One"]);
    expect(await errorReport(tenant.accessToken, job.id)).toEqual([
      ["row", "column", "value", "message"],
      ["3", "email", "broken", "Invalid email address"],
    ]);
  });

  it("remembers a tenant's mapping for the next upload of the object", async () => {
    const tenant = await signupTenant("Remembering");
    const csv = "Mail,Known as\nremember@example.com,Rem\n";
    const first = await uploaded(tenant.accessToken, "contact", csv);
    expect(first.mapping).toEqual({ Mail: "email", "Known as": null });
    await start(tenant.accessToken, first.import.id, { mapping: { Mail: "email", "Known as": "firstName" } });
    await finished(tenant.accessToken, first.import.id);
    const second = await uploaded(tenant.accessToken, "contact", csv);
    expect(second.mapping).toEqual({ Mail: "email", "Known as": "firstName" });
    expect(second.preview[0].outcome).toBe("skip");
  });

  it("maps and validates custom fields with the tenant's definitions", async () => {
    const tenant = await signupTenant("Customised");
    await defineCustomField(tenant, { objectType: "contact", key: "seats", type: "number" });
    const csv = 'Email,Seats\nok@example.com,"1,250"\nnot@example.com,lots\n';
    const { import: job, mapping } = await uploaded(tenant.accessToken, "contact", csv);
    expect(mapping).toEqual({ Email: "email", Seats: "cf.seats" });
    await start(tenant.accessToken, job.id, { mapping });
    expect((await finished(tenant.accessToken, job.id)).progress).toMatchObject({ created: 1, failed: 1 });
    expect(await errorReport(tenant.accessToken, job.id)).toEqual([
      ["row", "column", "value", "message"],
      ["3", "Seats", "lots", "Must be a number"],
    ]);
    const [ok] = (await getJson(tenant.accessToken, "/api/v1/contacts")).data;
    expect(ok.customFields).toEqual({ seats: 1250 });
  });
});

describe("a file larger than one chunk", () => {
  it("runs as chained chunks of 1,000 rows read by byte range, keys matching across chunks; a redelivered middle chunk changes nothing", async () => {
    const tenant = await signupTenant("Chunked");
    // 2,234 rows: 3 chunks. Row 2,100 repeats row 2's email with a new title (an update across chunks),
    // row 1,700 repeats row 3 exactly (skipped), and every 97th row has a bad email.
    const lines = ["Email,First name,Title"];
    for (let i = 0; i < 2234; i++) {
      const row = i + 2;
      if (row === 2100) lines.push("person0@example.com,Person0,Updated title");
      else if (row === 1700) lines.push("person1@example.com,Person1,");
      else if (row % 97 === 0) lines.push(`broken${i},Broken${i},`);
      else lines.push(`person${i}@example.com,"Person${i}",${i % 2 ? '"Multi\nline"' : ""}`);
    }
    const csv = lines.join("\n") + "\n";
    const bad = lines.slice(1).filter((_, i) => (i + 2) % 97 === 0 && i + 2 !== 2100 && i + 2 !== 1700).length;
    const { import: job, mapping } = await uploaded(tenant.accessToken, "contact", csv);
    await start(tenant.accessToken, job.id, { mapping });
    const done = await finished(tenant.accessToken, job.id, 120_000);
    expect(done.status).toBe("completed");
    expect(done.progress).toEqual({
      rowsDone: 2234,
      created: 2234 - 2 - bad,
      updated: 1,
      skipped: 1,
      failed: bad,
      bytesDone: csv.length,
      fraction: 1,
    });
    const report = await errorReport(tenant.accessToken, job.id);
    expect(report.slice(1).map((r) => Number(r[0]))).toEqual(
      Array.from({ length: 2236 }, (_, row) => row).filter(
        (row) => row >= 2 && row % 97 === 0 && row !== 2100 && row !== 1700,
      ),
    );
    const [person0] = await contactsByEmail(tenant.accessToken, "person0@example.com");
    expect(person0.title).toBe("Updated title");

    const chunks = await env.DB.prepare(
      "select chunk_index, rows, end_byte from import_chunks where tenant_id = ? and import_id = ? order by chunk_index",
    )
      .bind(tenant.tenantId, job.id)
      .all<{ chunk_index: number; rows: number; end_byte: number }>();
    expect(chunks.results.map((c) => [c.chunk_index, c.rows])).toEqual([
      [0, 1000],
      [1, 1000],
      [2, 234],
    ]);
    const before = await getJson(tenant.accessToken, `/api/v1/imports/${job.id}`);
    const countBefore = await env.DB.prepare("select count(*) as n from contacts where tenant_id = ?")
      .bind(tenant.tenantId)
      .first<{ n: number }>();
    await deliver({
      type: "import.chunk",
      tenantId: tenant.tenantId,
      importId: job.id,
      chunkIndex: 1,
      startByte: chunks.results[0]!.end_byte,
      firstRow: 1002,
    });
    expect(await getJson(tenant.accessToken, `/api/v1/imports/${job.id}`)).toEqual(before);
    const countAfter = await env.DB.prepare("select count(*) as n from contacts where tenant_id = ?")
      .bind(tenant.tenantId)
      .first<{ n: number }>();
    expect(countAfter).toEqual(countBefore);
    expect(countAfter!.n).toBe(2234 - 2 - bad);
  });
});

describe("CSV import of deals, companies, leads and tasks", () => {
  it("deals take pipeline and stage by name; an unknown stage is that row's error", async () => {
    const tenant = await signupTenant("Dealers");
    const csv =
      "Deal;Pipeline;Stage;Amount\n" +
      "Big one;Sales;Proposal Sent;12000\n" +
      "Links;backlink outreach;pitch sent;300\n" +
      "Mystery;Sales;Negotiationz;50\n" +
      "No stage;;;10\n";
    const { import: job, mapping } = await uploaded(tenant.accessToken, "deal", csv);
    expect(mapping).toEqual({ Deal: "name", Pipeline: "pipeline", Stage: "stage", Amount: "value" });
    await start(tenant.accessToken, job.id, { mapping });
    expect((await finished(tenant.accessToken, job.id)).progress).toMatchObject({
      rowsDone: 4,
      created: 3,
      failed: 1,
    });
    expect(await errorReport(tenant.accessToken, job.id)).toEqual([
      ["row", "column", "value", "message"],
      ["4", "Stage", "Negotiationz", "The Sales pipeline has no stage named Negotiationz"],
    ]);
    const pipelines = (await getJson(tenant.accessToken, "/api/v1/pipelines")).data;
    const stageName = new Map<string, string>(
      pipelines.flatMap((p: { name: string; stages: { id: string; name: string }[] }) =>
        p.stages.map((s) => [s.id, `${p.name}/${s.name}`] as const),
      ),
    );
    const deals = (await getJson(tenant.accessToken, "/api/v1/deals?sort=name")).data;
    expect(
      deals.map((d: { name: string; stageId: string; value: number }) => [d.name, stageName.get(d.stageId), d.value]),
    ).toEqual([
      ["Big one", "Sales/Proposal Sent", 12000],
      ["Links", "Backlink outreach/Pitch Sent", 300],
      ["No stage", "Sales/New Lead", 10],
    ]);
  });

  it("companies update by domain; leads and tasks are created", async () => {
    const tenant = await signupTenant("Mixed");
    const existing = await json(
      await api("POST", "/api/v1/companies", { token: tenant.accessToken, body: { name: "Old", domain: "acme.test" } }),
    );
    const companies = await uploaded(
      tenant.accessToken,
      "company",
      "Company Name,Website Domain,Industry\nAcme,https://www.acme.test/about,Rockets\nGlobex,globex.test,Energy\n",
    );
    expect(companies.mapping).toEqual({ "Company Name": "name", "Website Domain": null, Industry: "industry" });
    await start(tenant.accessToken, companies.import.id, {
      mapping: { "Company Name": "name", "Website Domain": "domain", Industry: "industry" },
    });
    expect((await finished(tenant.accessToken, companies.import.id)).progress).toMatchObject({
      created: 1,
      updated: 1,
    });
    expect(await getJson(tenant.accessToken, `/api/v1/companies/${existing.id}`)).toMatchObject({
      name: "Acme",
      domain: "acme.test",
      industry: "Rockets",
    });

    const leads = await uploaded(
      tenant.accessToken,
      "lead",
      "First name,Email,Company,Stage\nLea,lea@example.com,Lea Co,MQL\n",
    );
    await start(tenant.accessToken, leads.import.id, { mapping: leads.mapping });
    expect((await finished(tenant.accessToken, leads.import.id)).progress).toMatchObject({ created: 1, failed: 0 });
    expect((await getJson(tenant.accessToken, "/api/v1/leads")).data[0]).toMatchObject({
      firstName: "Lea",
      email: "lea@example.com",
      companyName: "Lea Co",
      stage: "mql",
    });

    const tasks = await uploaded(tenant.accessToken, "task", "Title\tDue date\tPriority\nCall Lea\t2026-12-24\tHigh\n");
    expect(tasks.import.delimiter).toBe("\t");
    await start(tenant.accessToken, tasks.import.id, { mapping: tasks.mapping });
    expect((await finished(tenant.accessToken, tasks.import.id)).progress).toMatchObject({ created: 1 });
    expect((await getJson(tenant.accessToken, "/api/v1/tasks")).data[0]).toMatchObject({
      title: "Call Lea",
      dueAt: "2026-12-24T00:00:00.000Z",
      priority: "high",
    });
  });
});

describe("import requests that cannot be used", () => {
  it("answers bad input with problems naming the field", async () => {
    const noObject = await api("POST", "/api/v1/imports", {
      token: owner.accessToken,
      rawBody: "a,b\n",
      headers: { "content-type": "text/csv" },
    });
    const problem = await expectProblem(noObject, 422, "VALIDATION_FAILED");
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(["query.objectType"]);

    await expectProblem(await upload(owner.accessToken, "contact", "{}", { contentType: "application/json" }), 415);
    const empty = await expectProblem(await upload(owner.accessToken, "contact", ""), 422, "VALIDATION_FAILED");
    expect(empty.errors).toEqual([{ path: "body", message: "Empty file" }]);

    const { import: job } = await uploaded(owner.accessToken, "contact", "Email,Name\nx@example.com,X\n");
    const badMapping = await api("POST", `/api/v1/imports/${job.id}/start`, {
      token: owner.accessToken,
      body: { mapping: { Email: "email", Nope: "firstName", Name: "shoeSize" }, matchKey: "domain" },
    });
    expect((await expectProblem(badMapping, 422, "VALIDATION_FAILED")).errors).toEqual([
      { path: "body.mapping.Nope", message: "The file has no column with this name" },
      { path: "body.mapping.Name", message: "Not a field of contacts: shoeSize" },
      { path: "body.matchKey", message: "Only `email` or `none`" },
    ]);
    const badPolicy = await api("POST", `/api/v1/imports/${job.id}/start`, {
      token: owner.accessToken,
      body: { mapping: { Email: "email" }, policy: "maybe" },
    });
    expect((await expectProblem(badPolicy, 422)).errors[0].path).toBe("body.policy");

    await start(owner.accessToken, job.id, { mapping: { Email: "email" } });
    await expectProblem(
      await api("POST", `/api/v1/imports/${job.id}/start`, {
        token: owner.accessToken,
        body: { mapping: { Email: "email" } },
      }),
      409,
      "CONFLICT",
    );
  });

  it("a cancelled import writes no further chunk", async () => {
    const tenant = await signupTenant("Cancelling");
    const { import: job, mapping } = await uploaded(tenant.accessToken, "contact", "Email\nc@example.com\n");
    expect(await env.IMPORTS.head(`${tenant.tenantId}/${job.id}.csv`)).not.toBeNull();
    const cancelled = await json(await api("POST", `/api/v1/imports/${job.id}/cancel`, { token: tenant.accessToken }));
    expect(cancelled.status).toBe("cancelled");
    expect(await env.IMPORTS.head(`${tenant.tenantId}/${job.id}.csv`)).toBeNull();
    await expectProblem(
      await api("POST", `/api/v1/imports/${job.id}/start`, { token: tenant.accessToken, body: { mapping } }),
      409,
    );
    // A chunk message for it (queued before the cancel) finds it cancelled and writes nothing.
    await deliver({
      type: "import.chunk",
      tenantId: tenant.tenantId,
      importId: job.id,
      chunkIndex: 0,
      startByte: 6,
      firstRow: 2,
    });
    expect((await getJson(tenant.accessToken, "/api/v1/contacts")).data).toEqual([]);
    expect((await getJson(tenant.accessToken, `/api/v1/imports/${job.id}`)).progress.rowsDone).toBe(0);
  });

  it("serves a template per object with its standard and custom fields", async () => {
    const tenant = await signupTenant("Templated");
    await defineCustomField(tenant, { objectType: "company", key: "tier", type: "select", options: ["a", "b"] });
    const response = await api("GET", "/api/v1/imports/template?objectType=company", { token: tenant.accessToken });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="companies-template.csv"');
    expect(await response.text()).toBe("Name,Domain,Industry,Size,Annual revenue,Website,Domain authority,Tags,tier\n");
  });
});

describe("an import of many columns", () => {
  it("starts with 25 columns mapped, remembers each mapping and writes every field", async () => {
    const tenant = await signupTenant("Wide imports");
    const keys = Array.from({ length: 24 }, (_, i) => `field_${i}`);
    for (const key of keys) await defineCustomField(tenant, { objectType: "contact", key, type: "text" });
    const header = ["Email", ...keys.map((k) => `Column ${k}`)];
    const file = `${header.join(",")}\nwide@example.com,${keys.map((k) => `value ${k}`).join(",")}\n`;
    const made = await uploaded(tenant.accessToken, "contact", file);
    const mapping = Object.fromEntries([["Email", "email"], ...keys.map((k) => [`Column ${k}`, `cf.${k}`])]);
    await start(tenant.accessToken, made.import.id, { mapping });
    expect((await finished(tenant.accessToken, made.import.id)).status).toBe("completed");
    const [contact] = await contactsByEmail(tenant.accessToken, "wide@example.com");
    expect(contact.customFields).toEqual(Object.fromEntries(keys.map((k) => [k, `value ${k}`])));
    // The next upload of the same header is offered the same 25 targets.
    const again = await uploaded(tenant.accessToken, "contact", file);
    expect(again.mapping).toEqual(mapping);
  }, 60_000);
});
