import { env } from "cloudflare:test";
import {
  contacts,
  createDb,
  newId,
  type SearchFilter,
  selectiveSearchLimit,
  tenantDb,
  tenants,
  type TenantDb,
} from "@crm/db";
import { afterCursor, encodeCursor, orderFor, parseSort } from "@crm/services";
import { and, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * How SQLite runs the list queries, from EXPLAIN QUERY PLAN against the migrated D1, plus
 * the rows they return (bench/crm-lists.mjs measured what goes wrong otherwise): a deep
 * cursor page seeks the sort index instead of walking every page before it, and a search
 * is read from its matches when they are few and by the sort index when they are many,
 * with the same rows and order either way.
 */
const db = createDb(env.DB);
const tenantA = newId("tenant");
const tenantB = newId("tenant");
const a = tenantDb(db, tenantA);
const b = tenantDb(db, tenantB);
const newestFirst = parseSort("-createdAt", { createdAt: { column: contacts.createdAt, kind: "date" } }, "-createdAt");
const common = selectiveSearchLimit + 20;
const start = Date.UTC(2026, 0, 1);

/** `count` contacts named `word`, one millisecond apart, indexed for search as the services do. */
async function seed(scoped: TenantDb, word: string, count: number, offset: number): Promise<string[]> {
  const ids: string[] = [];
  const queries: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < count; i++) {
    const id = newId("contact");
    const at = new Date(start + offset + i);
    ids.push(id);
    queries.push(
      scoped.insertQuery(contacts, {
        id,
        firstName: word,
        lastName: `N${i}`,
        sortName: `n${i} ${word}`,
        createdAt: at,
        updatedAt: at,
      }),
      ...scoped.indexForSearchQueries("contact", id, `${word} N${i}`),
    );
  }
  for (let i = 0; i < queries.length; i += 80) {
    await scoped.batch(queries.slice(i, i + 80) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  }
  return ids;
}

let commonIds: string[] = [];
let rareIds: string[] = [];

beforeAll(async () => {
  await db.insert(tenants).values([
    { id: tenantA, name: "A", slug: `a-${tenantA}` },
    { id: tenantB, name: "B", slug: `b-${tenantB}` },
  ]);
  commonIds = await seed(a, "Maria", common, 0);
  rareIds = await seed(a, "Zebulon", 3, 10_000);
  // The other tenant has matches for both words: neither way of reading may return them.
  await seed(b, "Maria", 30, 20_000);
  await seed(b, "Zebulon", 2, 30_000);
});

async function plan(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string> {
  const { sql, params } = query.toSQL();
  const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return rows.results.map((r) => r.detail).join("\n");
}

/** One page of the tenant's contacts, newest first, as listContacts reads it (without a search). */
function pageQuery(scoped: TenantDb, cursor: string | undefined, limit: number) {
  return scoped.selectQuery(contacts, {
    where: afterCursor(newestFirst, contacts.id, cursor),
    orderBy: orderFor(newestFirst, contacts.id),
    limit,
  });
}

type Contact = typeof contacts.$inferSelect;
const rowsOf = async (query: ReturnType<typeof pageQuery>) => (await query) as Contact[];

/** One page of a search, newest first, as listContacts reads it. */
function searchedPage(scoped: TenantDb, search: SearchFilter, cursor: string | undefined, limit: number) {
  return scoped.findMany(contacts, {
    where: and(search.condition, afterCursor(newestFirst, contacts.id, cursor)),
    orderBy: orderFor(newestFirst, contacts.id),
    limit,
    search,
  });
}

const cursorAfter = (row: { createdAt: Date; id: string }) =>
  encodeCursor("createdAt", row.createdAt.getTime(), row.id);

/** Every page of a search, following the cursors as the list endpoint does. */
async function searchAll(scoped: TenantDb, q: string, pageSize: number): Promise<string[]> {
  const search = scoped.searchFilter("contact", contacts.id, q);
  if (!search) throw new Error(`${q} has no words`);
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const rows = await searchedPage(scoped, search, cursor, pageSize + 1);
    ids.push(...rows.slice(0, pageSize).map((r) => r.id));
    if (rows.length <= pageSize) return ids;
    cursor = cursorAfter(rows[pageSize - 1]!);
  }
  throw new Error("more than 50 pages");
}

describe("list query plans", () => {
  it("seeks a deep cursor page in the sort index instead of scanning the pages before it", async () => {
    const everything = await rowsOf(pageQuery(a, undefined, 1000));
    const query = pageQuery(a, cursorAfter(everything[199]!), 51);
    expect(await plan(query)).toContain("USING INDEX contacts_tenant_created_idx (tenant_id=? AND created_at<?)");
    expect((await rowsOf(query)).map((r) => r.id)).toEqual(everything.slice(200, 251).map((r) => r.id));
  });

  it("plans a search both ways in one statement: matches looked up by id, or the sort index walked", async () => {
    const search = a.searchFilter("contact", contacts.id, "zebulon")!;
    const statement = a.searchedQuery(contacts, search, {
      where: search.condition,
      orderBy: orderFor(newestFirst, contacts.id),
      limit: 51,
    });
    const details = (await db.all<{ detail: string }>(sql`explain query plan ${statement}`)).map((r) => r.detail);
    expect(details.filter((d) => d.includes("MATERIALIZE search_matches"))).toHaveLength(1);
    expect(details).toContain("SCAN search_index VIRTUAL TABLE INDEX 0:M2");
    expect(details).toContain("SEARCH contacts USING INDEX sqlite_autoindex_contacts_1 (id=?)");
    expect(details).toContain("SEARCH contacts USING INDEX contacts_tenant_created_idx (tenant_id=?)");
  });

  it("returns the tenant's matches, newest first, across pages, with few matches or many", async () => {
    expect(await searchAll(a, "zebulon", 2)).toEqual([...rareIds].reverse());
    // More matches than selectiveSearchLimit: the sort index is walked.
    expect(await searchAll(a, "maria", 50)).toEqual([...commonIds].reverse());
    expect(await searchAll(a, "maria n1", 50)).toEqual(commonIds.filter((_, i) => String(i).startsWith("1")).reverse());
    expect(await searchAll(a, "mar", 400)).toEqual([...commonIds].reverse());
    // The other tenant's 30 matches and its two Zebulons never show up in the first's pages, nor the reverse.
    expect((await searchAll(b, "maria", 50)).length).toBe(30);
    expect((await searchAll(b, "zebulon", 50)).length).toBe(2);
    expect(await searchAll(a, "nomatchhere", 50)).toEqual([]);
    expect(a.searchFilter("contact", contacts.id, "?!")).toBeNull();
  });
});
