import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";

/**
 * The tenancy rules, checked against the migrated D1 itself (not the drizzle schema), so a
 * hand-written migration cannot slip past them.
 */

/** Global identity: a person or organization exists before and across tenants. */
const globalTables = new Set(["tenants", "users", "password_resets", "d1_migrations"]);

/** Work the platform does on its own behalf; a row may have no tenant (a password-reset email). */
const systemTables = new Set(["outbox_messages", "dead_letter_jobs"]);

/**
 * Indexes that must work before the tenant is known, because the lookup is how the tenant is
 * found. Each one is keyed by a secret's hash or a person, never browsed.
 */
const tenantlessLookupIndexes = new Set([
  "api_keys_hash_idx", // a presented API key → its tenant
  "invitations_token_idx", // an invitation link → its tenant
  "refresh_tokens_hash_idx", // a presented refresh token → its session and tenant
  "memberships_user_idx", // a person logging in → the tenants they belong to
  "outbox_messages_dedupe_key_unique", // a redelivered email job → the message it already wrote
  "dead_letter_jobs_message_id_unique", // a redelivered dead letter → the row it already wrote
  "outreach_messages_reply_token_idx", // an inbound reply's reply+<token>@ address → its message and tenant
  "inbound_emails_unprocessed_idx", // the five-minute sweep → replies left unprocessed, with their tenant
]);

/**
 * FTS5 tables cannot carry a tenant column of their own. search_index rows are keyed by
 * search_documents.rowid (which has tenant_id), and every MATCH is confined to the rowid range
 * of the tenant's search space (search_spaces).
 * A new virtual table has to be added here, with its reason.
 */
const virtualTablesScopedElsewhere = new Set(["search_index"]);
const ftsShadowSuffixes = ["_data", "_idx", "_content", "_docsize", "_config"];

interface TableRow {
  name: string;
  sql: string;
}
interface ColumnInfo {
  name: string;
  notnull: number;
  pk: number;
}
interface IndexListRow {
  name: string;
  origin: "c" | "u" | "pk";
}
interface IndexInfoRow {
  seqno: number;
  name: string | null;
}

async function tables(): Promise<TableRow[]> {
  const { results } = await env.DB.prepare(
    "select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '_cf_%' order by name",
  ).all<TableRow>();
  return results;
}

function isVirtual(table: TableRow): boolean {
  return /^create virtual table/i.test(table.sql);
}

function shadowOf(name: string, all: TableRow[]): string | undefined {
  return all.filter(isVirtual).find((v) => ftsShadowSuffixes.some((suffix) => name === `${v.name}${suffix}`))?.name;
}

async function columns(table: string): Promise<ColumnInfo[]> {
  return (await env.DB.prepare(`pragma table_info("${table}")`).all<ColumnInfo>()).results;
}

async function indexes(table: string): Promise<{ name: string; origin: string; columns: (string | null)[] }[]> {
  const list = (await env.DB.prepare(`pragma index_list("${table}")`).all<IndexListRow>()).results;
  return Promise.all(
    list.map(async (index) => {
      const info = (await env.DB.prepare(`pragma index_info("${index.name}")`).all<IndexInfoRow>()).results;
      return {
        name: index.name,
        origin: index.origin,
        columns: info.sort((a, b) => a.seqno - b.seqno).map((c) => c.name),
      };
    }),
  );
}

describe("tenancy in the database schema", () => {
  it("the migrations produced the tables this check knows about", async () => {
    const names = (await tables()).map((t) => t.name);
    for (const expected of [
      "tenants",
      "users",
      "memberships",
      "api_keys",
      "audit_log",
      "idempotency_keys",
      "outbox_messages",
    ]) {
      expect(names).toContain(expected);
    }
  });

  it("every table but the global identity ones has a tenant_id column", async () => {
    const all = await tables();
    const missing: string[] = [];
    for (const table of all) {
      if (globalTables.has(table.name) || shadowOf(table.name, all)) continue;
      if (isVirtual(table)) {
        if (!virtualTablesScopedElsewhere.has(table.name))
          missing.push(`${table.name} (virtual table not in the allow-list)`);
        continue;
      }
      if (!(await columns(table.name)).some((c) => c.name === "tenant_id")) missing.push(table.name);
    }
    expect(missing).toEqual([]);
  });

  it("tenant_id is NOT NULL everywhere except the system tables", async () => {
    const nullable: string[] = [];
    for (const table of await tables()) {
      const tenantId = (await columns(table.name)).find((c) => c.name === "tenant_id");
      if (!tenantId || systemTables.has(table.name)) continue;
      if (tenantId.notnull !== 1 && tenantId.pk === 0) nullable.push(table.name);
    }
    expect(nullable).toEqual([]);
  });

  it("every index on a tenant-owned table leads with tenant_id, except the credential lookups", async () => {
    const offenders: string[] = [];
    let checked = 0;
    for (const table of await tables()) {
      if (!(await columns(table.name)).some((c) => c.name === "tenant_id")) continue;
      for (const index of await indexes(table.name)) {
        checked += 1;
        if (index.columns[0] === "tenant_id" || tenantlessLookupIndexes.has(index.name)) continue;
        // A single-column primary key on a globally unique, type-prefixed id: one row per id,
        // and every query through TenantDb still ANDs tenant_id.
        if (index.origin === "pk" && index.columns.length === 1 && index.columns[0] === "id") continue;
        offenders.push(`${table.name}.${index.name}(${index.columns.join(", ")})`);
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });

  it("the allow-list names only indexes that exist, so it cannot silently grow stale", async () => {
    const { results } = await env.DB.prepare("select name from sqlite_master where type = 'index'").all<{
      name: string;
    }>();
    const existing = new Set(results.map((r) => r.name));
    expect([...tenantlessLookupIndexes].filter((name) => !existing.has(name))).toEqual([]);
    const tableNames = new Set((await tables()).map((t) => t.name));
    expect([...virtualTablesScopedElsewhere].filter((name) => !tableNames.has(name))).toEqual([]);
  });
});
