// Writes generated CRM tenants (crm-data.mjs) straight into the Worker's local D1 through
// Miniflare's getD1Database: the rows, record_tags, and search_documents (with the record's
// created_at) + search_index exactly as TenantDb.indexForSearchQueries writes them. Then
// checks, through the API, that the API reads these rows and that its own writes index
// text the same way.
import {
  companySearchText,
  contactSearchText,
  dealSearchText,
  generateTenant,
  random,
  searchScope,
  typeId,
} from "./crm-data.mjs";
import { call } from "./harness.mjs";

function literal(v) {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "1" : "0";
  return `'${String(v).replaceAll("'", "''")}'`;
}

/** Multi-row INSERTs with literal values, one per line, each under D1's 100 KB statement limit. */
function inserts(table, columns, rows, maxBytes = 90_000) {
  const head = `INSERT INTO ${table} (${columns.join(", ")}) VALUES `;
  const out = [];
  let values = [];
  let size = head.length;
  for (const row of rows) {
    const value = `(${row.map(literal).join(", ")})`;
    if (size + value.length + 2 > maxBytes && values.length > 0) {
      out.push(`${head}${values.join(", ")};`);
      values = [];
      size = head.length;
    }
    values.push(value);
    size += value.length + 2;
  }
  if (values.length > 0) out.push(`${head}${values.join(", ")};`);
  return out;
}

/**
 * One exec, sent again if the connection it went out on had been closed: workerd drops an
 * idle keep-alive connection while the next tenant is generated (seconds of CPU on a busy
 * machine), and the write then fails (EPIPE, or a reset socket) before the statements arrived.
 * Sent twice by mistake, the inserts would fail on their primary keys rather than duplicate.
 */
const droppedConnection = new Set(["EPIPE", "ECONNRESET", "UND_ERR_SOCKET"]);

async function exec(db, sql) {
  try {
    await db.exec(sql);
  } catch (error) {
    if (!droppedConnection.has(error?.cause?.code)) throw error;
    await db.exec(sql);
  }
}

/** D1's exec runs one statement per line; a few MB of statements per call keeps round trips few. */
async function execAll(db, statements, chunkBytes = 4_000_000) {
  let chunk = [];
  let size = 0;
  for (const statement of statements) {
    if (statement.includes("\n")) throw new Error("A statement for exec must fit on one line");
    chunk.push(statement);
    size += statement.length;
    if (size >= chunkBytes) {
      await exec(db, chunk.join("\n"));
      chunk = [];
      size = 0;
    }
  }
  if (chunk.length > 0) await exec(db, chunk.join("\n"));
}

const columnsOf = (names) => names.trim().split(/\s+/);
const companyColumns = columnsOf(`id tenant_id name domain industry size annual_revenue website domain_authority
  owner_id tags custom_fields created_at updated_at`);
const contactColumns = columnsOf(`id tenant_id first_name last_name sort_name emails primary_email phones title
  company_id lifecycle_stage lifecycle_stage_changed_at lead_status source owner_id tags consent_status
  consent_changed_at consent_source do_not_contact time_zone address social_links custom_fields created_at updated_at`);
const dealColumns = columnsOf(`id tenant_id name contact_id company_id pipeline_id stage_id stage_entered_at status
  value currency expected_close_date closed_at probability next_action_at lost_reason owner_id tags custom_fields
  created_at updated_at`);
/** Columns stored as JSON text (drizzle's `mode: "json"`). */
const jsonColumns = new Set(["emails", "phones", "tags", "address", "social_links", "custom_fields"]);
const camel = (column) => column.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/** A generated record's values in `columns` order, as the table stores them. */
function rowOf(tenantId, record, columns) {
  return columns.map((column) => {
    if (column === "tenant_id") return tenantId;
    const value = record[camel(column)];
    return jsonColumns.has(column) && value !== null && value !== undefined ? JSON.stringify(value) : value;
  });
}

/** People to own records besides the tenant's owner (members who never signed in). */
function memberStatements(tenantId, count, now, rand) {
  const users = [];
  const memberships = [];
  for (let i = 0; i < count; i++) {
    const id = typeId("us", now, rand);
    users.push([id, `member-${i}-${id.slice(-8)}@bench.example.com`, `Member ${i}`, "disabled", now, now]);
    memberships.push([tenantId, id, "member", now]);
  }
  return {
    ids: users.map((u) => u[0]),
    statements: [
      ...inserts("users", ["id", "email", "name", "password_hash", "created_at", "updated_at"], users),
      ...inserts("memberships", ["tenant_id", "user_id", "role", "created_at"], memberships),
    ],
  };
}

/**
 * Generates and writes one tenant's members, companies, contacts and deals with their tags
 * and search index entries; returns the records (for picking benchmark targets).
 */
export async function seedTenant(db, { tenant, pipelines, counts, seed, members = 9 }) {
  const now = Date.now();
  const rand = random(seed ^ 0x5eed);
  const people = memberStatements(tenant.tenantId, members, now, rand);
  const ownerIds = [tenant.ownerId, ...people.ids];
  const data = generatedRecords({ tenantId: tenant.tenantId, ownerIds, pipelines, counts, seed, now });
  const t = tenant.tenantId;
  const tagRows = [];
  const documents = [];
  const index = [];
  const nextRowid = await searchSpaceRowids(db, t);
  const add = (recordType, record, text) => {
    for (const tag of record.tags) tagRows.push([t, recordType, tag, record.id]);
    const rowid = nextRowid(recordType);
    documents.push([rowid, t, recordType, record.id, record.createdAt]);
    index.push([rowid, searchScope(t, recordType), text]);
  };
  for (const c of data.companies) add("company", c, companySearchText(c));
  for (const c of data.contacts) add("contact", c, contactSearchText(c, c.companyName));
  for (const d of data.deals) add("deal", d, dealSearchText(d));

  const rows = (columns, records) => records.map((record) => rowOf(t, record, columns));
  await execAll(db, [
    ...people.statements,
    ...inserts("companies", companyColumns, rows(companyColumns, data.companies)),
    ...inserts("contacts", contactColumns, rows(contactColumns, data.contacts)),
    ...inserts("deals", dealColumns, rows(dealColumns, data.deals)),
    ...inserts("record_tags", ["tenant_id", "record_type", "tag", "record_id"], tagRows),
    ...inserts("search_documents", ["rowid", "tenant_id", "record_type", "record_id", "created_at"], documents),
    ...inserts("search_index", ["rowid", "scope", "body"], index),
    markOutOfOrder(t),
  ]);
  return { data, ownerIds, now };
}

/**
 * The records seedTenant wrote for these arguments (it returns `now` and `ownerIds`): the
 * generator is deterministic, so a kept benchmark state needs no copy of them.
 */
export function generatedRecords({ tenantId, ownerIds, pipelines, counts, seed, now }) {
  return generateTenant({
    tenantId,
    ownerIds,
    pipelines,
    counts,
    seed,
    from: now - 3 * 365 * 86_400_000,
    to: now - 60_000,
  });
}

/**
 * Flags the tenant's search entries indexed after an entry created later than them (by
 * created_at, then record id) in their space, as the API's indexing statements and
 * migration 0008 do: none for records generated oldest first.
 */
function markOutOfOrder(tenantId) {
  const key = "printf('%020d', created_at) || record_id";
  return `UPDATE search_documents SET out_of_order = 1 WHERE rowid IN (SELECT rowid FROM (SELECT rowid, created_at, ${key} AS creation_key, max(${key}) OVER (PARTITION BY record_type ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS latest_before FROM search_documents WHERE tenant_id = ${literal(tenantId)}) WHERE created_at IS NULL OR created_at < 0 OR creation_key <= latest_before);`;
}

/**
 * The tenant's search spaces for the seeded types, as TenantDb's indexing creates them:
 * each type's records take rowids from space id * 2^32 + 1 on, after any the API wrote.
 */
async function searchSpaceRowids(db, tenantId) {
  const next = {};
  for (const type of ["company", "contact", "deal"]) {
    await db
      .prepare("INSERT INTO search_spaces (tenant_id, record_type) VALUES (?, ?) ON CONFLICT DO NOTHING")
      .bind(tenantId, type)
      .run();
    const { id } = await db
      .prepare("SELECT id FROM search_spaces WHERE tenant_id = ? AND record_type = ?")
      .bind(tenantId, type)
      .first();
    const base = id * 2 ** 32;
    const { highest } = await db
      .prepare("SELECT coalesce(max(rowid), ?) AS highest FROM search_documents WHERE rowid BETWEEN ? AND ?")
      .bind(base, base, base + 2 ** 32 - 1)
      .first();
    next[type] = highest;
  }
  return (type) => {
    next[type] += 1;
    return next[type];
  };
}

/** What the index holds for one record: [scope, body] and its sorted tags. */
async function indexedState(db, tenantId, recordId) {
  const entry = await db
    .prepare(
      "SELECT s.scope AS scope, s.body AS body, d.created_at AS createdAt, d.out_of_order AS outOfOrder FROM search_index s JOIN search_documents d ON d.rowid = s.rowid WHERE d.tenant_id = ? AND d.record_id = ?",
    )
    .bind(tenantId, recordId)
    .all();
  const tags = await db
    .prepare("SELECT record_type AS type, tag FROM record_tags WHERE tenant_id = ? AND record_id = ? ORDER BY tag")
    .bind(tenantId, recordId)
    .all();
  return { entries: entry.results, tags: tags.results };
}

function expectSame(label, actual, expected) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${label}: the seeder would write ${e}, the API wrote ${a}`);
}

/**
 * Writes a company, a contact and a deal through the API and checks the seeder writes the
 * same search entry and tags for the same record; then deletes them again.
 */
export async function checkSeederMatchesApi(base, db, tenant, pipeline) {
  const token = tenant.accessToken;
  const t = tenant.tenantId;
  const company = await call(base, "POST", "/api/v1/companies", {
    token,
    body: { name: "Probe Granite Works", domain: "probe-granite.example", industry: "energy", tags: ["vip", "smb"] },
  });
  const contact = await call(base, "POST", "/api/v1/contacts", {
    token,
    body: {
      firstName: "Zoë",
      lastName: "O'Probe",
      emails: [{ address: "zoe.oprobe@probe-granite.example" }, { address: "zoe@home.example" }],
      phones: [{ number: "+1 415-555-0142" }],
      title: "CTO",
      companyId: company.id,
      lifecycleStage: "customer",
      tags: ["partner"],
    },
  });
  const deal = await call(base, "POST", "/api/v1/deals", {
    token,
    body: {
      name: "Pilot  for Probe Granite Works",
      pipelineId: pipeline.id,
      stageId: pipeline.stages[1].id,
      value: 1200,
      tags: ["inbound"],
    },
  });
  const expected = [
    ["company", company, companySearchText(company)],
    ["contact", contact, contactSearchText(contact, company.name)],
    ["deal", deal, dealSearchText(deal)],
  ];
  for (const [type, record, text] of expected) {
    expectSame(`${type} search entry and tags`, await indexedState(db, t, record.id), {
      // The newest record of its space: in order.
      entries: [{ scope: searchScope(t, type), body: text, createdAt: Date.parse(record.createdAt), outOfOrder: 0 }],
      tags: [...record.tags].sort().map((tag) => ({ type, tag })),
    });
  }
  await call(base, "DELETE", `/api/v1/deals/${deal.id}`, { token });
  await call(base, "DELETE", `/api/v1/contacts/${contact.id}`, { token });
  await call(base, "DELETE", `/api/v1/companies/${company.id}`, { token });
}

/** Checks that the API reads a seeded contact as generated, and that search finds it. */
export async function checkApiReadsSeed(base, key, contact) {
  const read = await call(base, "GET", `/api/v1/contacts/${contact.id}`, { token: key });
  expectSame(
    "seeded contact as read by the API",
    [
      read.firstName,
      read.lastName,
      read.emails,
      read.phones,
      read.companyId,
      read.lifecycleStage,
      read.tags,
      read.createdAt,
    ],
    [
      contact.firstName,
      contact.lastName,
      contact.emails.map((e) => ({ ...e, label: null })),
      contact.phones.map((p) => ({ ...p, label: null })),
      contact.companyId,
      contact.lifecycleStage,
      contact.tags,
      new Date(contact.createdAt).toISOString(),
    ],
  );
  const local = contact.primaryEmail.split("@")[0];
  const found = await call(base, "GET", `/api/v1/contacts?q=${encodeURIComponent(local)}`, { token: key });
  expectSame(
    "search for a seeded contact's email",
    found.data.map((c) => c.id),
    [contact.id],
  );
}
