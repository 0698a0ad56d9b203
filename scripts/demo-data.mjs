// Builds the demo tenant's records from data/demo (public datasets; see data/demo/README.md)
// as one SQL file for `wrangler d1 execute --local --file`. Called by scripts/start.mjs after the
// demo tenant has been created through the API (which also seeded its pipelines).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { root } from "./lib.mjs";

const dir = path.join(root, "data", "demo");
const read = (file) => parse(readFileSync(path.join(dir, file)), { columns: true, skip_empty_lines: true, trim: true });

const crockford = "0123456789abcdefghjkmnpqrstvwxyz";
/** A typeid-shaped id (`prefix_` + 26 base32 chars of a UUIDv7) so seeded ids look like the API's. */
function typeId(prefix, timeMs) {
  const bytes = randomBytes(16);
  let t = BigInt(Math.max(0, Math.floor(timeMs)));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(t & 0xffn);
    t >>= 8n;
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  let n = BigInt(`0x${bytes.toString("hex")}`);
  let out = "";
  for (let i = 0; i < 26; i++) {
    out = crockford[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return `${prefix}_${out}`;
}

const q = (value) =>
  value === null || value === undefined
    ? "NULL"
    : typeof value === "number"
      ? String(value)
      : `'${String(value).replaceAll("'", "''")}'`;

/** Multi-row INSERTs kept under D1's 100 KB statement limit. */
function insert(table, columns, rows, maxBytes = 60_000) {
  const out = [];
  const head = `INSERT INTO ${table} (${columns.join(",")}) VALUES\n`;
  let values = [];
  let size = 0;
  for (const row of rows) {
    const value = `(${row.map(q).join(",")})`;
    if (size + value.length > maxBytes && values.length > 0) {
      out.push(`${head}${values.join(",\n")};`);
      values = [];
      size = 0;
    }
    values.push(value);
    size += value.length + 2;
  }
  if (values.length > 0) out.push(`${head}${values.join(",\n")};`);
  return out;
}

const fixSector = { technolgy: "technology" };
function sizeBand(employees) {
  const n = Number(employees);
  if (n < 50) return "1-49";
  if (n < 250) return "50-249";
  if (n < 1000) return "250-999";
  if (n < 5000) return "1000-4999";
  return "5000+";
}

function searchScope(tenantId, type) {
  const t = tenantId.replace(/[^a-zA-Z0-9]/g, "");
  return `s${t} s${t}x${type}`;
}

/**
 * @param {{ tenantId: string, pipelineId: string, stages: Record<"New Lead"|"Interested"|"Won"|"Lost", {id: string, probability: number}>, now?: number }} options
 * @returns {{ sql: string, counts: Record<string, number>, memberEmails: string[] }}
 */
export function buildDemoSql({ tenantId, pipelineId, stages, now = Date.now() }) {
  const accounts = read("accounts.csv");
  const products = read("products.csv");
  const pipeline = read("sales_pipeline.csv");
  const teams = read("sales_teams.csv");
  const people = read("contacts.csv");

  const day = 86_400_000;
  const dates = pipeline
    .flatMap((r) => [r.engage_date, r.close_date])
    .filter(Boolean)
    .map((d) => Date.parse(`${d}T12:00:00Z`));
  const shift = now - Math.max(...dates);
  const at = (d) => Date.parse(`${d}T12:00:00Z`) + shift;

  const statements = ["PRAGMA defer_foreign_keys = on;"];
  const tag = (s) => s.toLowerCase();

  // People: managers are admins, agents are members. They cannot log in until they reset a password.
  const userIds = new Map();
  const users = [];
  const memberships = [];
  const managers = new Set(teams.map((t) => t.manager));
  for (const name of new Set([...teams.map((t) => t.sales_agent), ...managers])) {
    const id = typeId("us", now);
    const email = `${name.toLowerCase().replace(/[^a-z]+/g, ".")}@demo.example.com`;
    userIds.set(name, id);
    users.push([id, email, name, "disabled", now, now]);
    memberships.push([tenantId, id, managers.has(name) ? "admin" : "member", now]);
  }
  statements.push(...insert("users", ["id", "email", "name", "password_hash", "created_at", "updated_at"], users));
  statements.push(...insert("memberships", ["tenant_id", "user_id", "role", "created_at"], memberships));

  const companyIds = new Map();
  const companies = [];
  const search = [];
  accounts.forEach((a, i) => {
    const id = typeId("co", now - (accounts.length - i) * day);
    companyIds.set(a.account, id);
    const industry = fixSector[a.sector] ?? a.sector;
    const agent = teams[i % teams.length].sales_agent;
    const created = now - (accounts.length - i) * day;
    companies.push([
      id,
      tenantId,
      a.account,
      null,
      industry,
      sizeBand(a.employees),
      Math.round(Number(a.revenue) * 1_000_000),
      null,
      null,
      userIds.get(agent),
      JSON.stringify([tag(a.office_location)]),
      "{}",
      created,
      created,
    ]);
    search.push(["company", id, `${a.account} ${industry}`, created]);
  });
  statements.push(
    ...insert(
      "companies",
      [
        "id",
        "tenant_id",
        "name",
        "domain",
        "industry",
        "size",
        "annual_revenue",
        "website",
        "domain_authority",
        "owner_id",
        "tags",
        "custom_fields",
        "created_at",
        "updated_at",
      ],
      companies,
    ),
  );

  const contacts = [];
  people.forEach((p, i) => {
    const id = typeId("ct", now - (people.length - i) * day);
    const name = p.FullName.replace(/^(mr|mrs|ms|miss|dr|prof)\.?\s+/i, "").replace(
      /,?\s+(md|phd|dds|dvm|jr\.?|sr\.?|ii|iii|iv)$/i,
      "",
    );
    const [first, ...rest] = name.split(/\s+/);
    const last = rest.join(" ") || null;
    const account = accounts[i % accounts.length];
    const email = p.Email.toLowerCase();
    const created = now - (people.length - i) * day;
    contacts.push([
      id,
      tenantId,
      first,
      last,
      `${(last ?? "").toLowerCase()}, ${first.toLowerCase()}`,
      JSON.stringify([{ address: email, primary: true }]),
      email,
      JSON.stringify([{ number: p.Phone }]),
      null,
      companyIds.get(account.account),
      "customer",
      created,
      null,
      null,
      userIds.get(teams[i % teams.length].sales_agent),
      "[]",
      "unknown",
      0,
      null,
      JSON.stringify({ city: p.City, region: p.State, country: p.Country }),
      "{}",
      "{}",
      created,
      created,
    ]);
    search.push(["contact", id, `${first} ${last ?? ""} ${email} ${p.Phone} ${account.account}`, created]);
  });
  statements.push(
    ...insert(
      "contacts",
      [
        "id",
        "tenant_id",
        "first_name",
        "last_name",
        "sort_name",
        "emails",
        "primary_email",
        "phones",
        "title",
        "company_id",
        "lifecycle_stage",
        "lifecycle_stage_changed_at",
        "lead_status",
        "source",
        "owner_id",
        "tags",
        "consent_status",
        "do_not_contact",
        "time_zone",
        "address",
        "social_links",
        "custom_fields",
        "created_at",
        "updated_at",
      ],
      contacts,
    ),
  );

  const price = new Map(products.map((p) => [p.product.replaceAll(" ", "").toLowerCase(), Number(p.sales_price)]));
  const stageOf = { Prospecting: "New Lead", Engaging: "Interested", Won: "Won", Lost: "Lost" };
  const deals = [];
  const history = [];
  pipeline.forEach((r, i) => {
    const stage = stages[stageOf[r.deal_stage]];
    const created = r.engage_date ? at(r.engage_date) : now - (i % 30) * day;
    const closed = r.close_date ? at(r.close_date) : null;
    const status = r.deal_stage === "Won" ? "won" : r.deal_stage === "Lost" ? "lost" : "active";
    const value =
      status === "won" ? Number(r.close_value) : (price.get(r.product.replaceAll(" ", "").toLowerCase()) ?? 0);
    const id = typeId("dl", created);
    const name = r.account ? `${r.product} for ${r.account}` : `${r.product} (${r.opportunity_id})`;
    const entered = closed ?? created;
    deals.push([
      id,
      tenantId,
      name,
      null,
      companyIds.get(r.account) ?? null,
      pipelineId,
      stage.id,
      entered,
      status,
      value,
      "USD",
      null,
      closed,
      stage.probability,
      null,
      null,
      userIds.get(r.sales_agent) ?? null,
      JSON.stringify([tag(r.product)]),
      JSON.stringify({}),
      created,
      closed ?? created,
    ]);
    history.push([
      typeId("dsh", entered),
      tenantId,
      id,
      pipelineId,
      stage.id,
      entered,
      null,
      userIds.get(r.sales_agent) ?? "system",
    ]);
    search.push(["deal", id, `${name} ${r.opportunity_id}`, created]);
  });
  statements.push(
    ...insert(
      "deals",
      [
        "id",
        "tenant_id",
        "name",
        "contact_id",
        "company_id",
        "pipeline_id",
        "stage_id",
        "stage_entered_at",
        "status",
        "value",
        "currency",
        "expected_close_date",
        "closed_at",
        "probability",
        "next_action_at",
        "lost_reason",
        "owner_id",
        "tags",
        "custom_fields",
        "created_at",
        "updated_at",
      ],
      deals,
    ),
  );
  statements.push(
    ...insert(
      "deal_stage_history",
      ["id", "tenant_id", "deal_id", "pipeline_id", "stage_id", "entered_at", "left_at", "changed_by"],
      history,
    ),
  );

  const tagRows = [];
  for (const c of companies) for (const t of JSON.parse(c[10])) tagRows.push([tenantId, "company", t, c[0]]);
  for (const d of deals) for (const t of JSON.parse(d[17])) tagRows.push([tenantId, "deal", t, d[0]]);
  statements.push(...insert("record_tags", ["tenant_id", "record_type", "tag", "record_id"], tagRows));

  // Search entries take rowids in the tenant's search space per type, numbered from 1 (the
  // tenant is new), as TenantDb's indexing statements number them.
  statements.push(
    `INSERT INTO search_spaces (tenant_id, record_type) VALUES ${["company", "contact", "deal"].map((type) => `(${q(tenantId)}, ${q(type)})`).join(", ")} ON CONFLICT DO NOTHING;`,
  );
  // Numbered in creation order (created_at, then id), as records the API creates one after
  // another are: a search listed by creation then reads its page in rowid order.
  search.sort((x, y) => x[3] - y[3] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
  const numbered = {};
  const entries = search.map(([type, id]) => {
    numbered[type] = (numbered[type] ?? 0) + 1;
    return `(${q(type)}, ${q(id)}, ${numbered[type]})`;
  });
  for (let i = 0; i < entries.length; i += 500) {
    statements.push(
      `INSERT INTO search_documents (rowid, tenant_id, record_type, record_id) SELECT (s.id << 32) + v.column3, s.tenant_id, s.record_type, v.column2 FROM (VALUES ${entries.slice(i, i + 500).join(", ")}) v JOIN search_spaces s ON s.tenant_id = ${q(tenantId)} AND s.record_type = v.column1;`,
    );
  }
  // Each entry's created_at from its record, as the API's indexing statements set it.
  statements.push(
    `UPDATE search_documents SET created_at = CASE record_type ${[
      ["company", "companies"],
      ["contact", "contacts"],
      ["deal", "deals"],
    ]
      .map(
        ([type, table]) =>
          `WHEN '${type}' THEN (SELECT created_at FROM ${table} r WHERE r.tenant_id = search_documents.tenant_id AND r.id = search_documents.record_id)`,
      )
      .join(" ")} END WHERE tenant_id = ${q(tenantId)};`,
  );
  // Entries indexed after an entry created later than them (by created_at, then record id)
  // in their space are out of order, as the API's indexing statements flag them.
  const creationKey = "printf('%020d', created_at) || record_id";
  statements.push(
    `UPDATE search_documents SET out_of_order = 1 WHERE rowid IN (SELECT rowid FROM (SELECT rowid, created_at, ${creationKey} AS creation_key, max(${creationKey}) OVER (PARTITION BY record_type ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS latest_before FROM search_documents WHERE tenant_id = ${q(tenantId)}) WHERE created_at IS NULL OR created_at < 0 OR creation_key <= latest_before);`,
  );
  for (const [type, id, text] of search) {
    statements.push(
      `INSERT INTO search_index(rowid, scope, body) SELECT rowid, ${q(searchScope(tenantId, type))}, ${q(text)} FROM search_documents WHERE tenant_id = ${q(tenantId)} AND record_id = ${q(id)};`,
    );
  }
  return {
    sql: statements.join("\n"),
    counts: { members: users.length, companies: companies.length, contacts: contacts.length, deals: deals.length },
    memberEmails: users.map((u) => u[1]),
  };
}
