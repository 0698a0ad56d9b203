import { env } from "cloudflare:test";
import {
  companies,
  contacts,
  createDb,
  newId,
  searchDocuments,
  searchSpaces,
  type SearchFilter,
  selectiveCreationSearchLimit,
  selectiveSearchLimit,
  tenantDb,
  tenants,
  type TenantDb,
} from "@crm/db";
import { afterCursor, creationOrder, encodeCursor, orderFor, parseSort } from "@crm/services";
import { and, eq, getTableColumns, inArray, like, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * How SQLite runs the list queries, from EXPLAIN QUERY PLAN against the migrated D1, plus
 * the rows they return (bench/crm-lists.mjs measured what goes wrong otherwise): a deep
 * cursor page seeks the sort index instead of walking every page before it, and a search
 * is read from its matches when they are few and by a sort index when they are many
 * (search_documents' creation index when sorted by createdAt), with the same rows and order
 * either way.
 */
const db = createDb(env.DB);
const tenantA = newId("tenant");
const tenantB = newId("tenant");
const a = tenantDb(db, tenantA);
const b = tenantDb(db, tenantB);
const newestFirst = parseSort("-createdAt", { createdAt: { column: contacts.createdAt, kind: "date" } }, "-createdAt");
// More than either limit: many matches, read by walking an index, whichever the sort.
const common = Math.max(selectiveSearchLimit, selectiveCreationSearchLimit) + 20;
const start = Date.UTC(2026, 0, 1);

const lastNames = new Map<string, string>();

/**
 * `count` contacts named `word`, indexed for search as the services do, created out of
 * insertion order (so out of search_documents' rowid order) and two per millisecond (so
 * the id breaks ties). Returns their ids oldest first, as a list sorts them.
 */
async function seed(scoped: TenantDb, word: string, count: number, offset: number): Promise<string[]> {
  const created: { id: string; at: number }[] = [];
  const queries: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < count; i++) {
    const id = newId("contact");
    // 7 is prime to every count used here: a permutation of 0..count-1.
    const at = new Date(start + offset + Math.floor(((i * 7) % count) / 2));
    created.push({ id, at: at.getTime() });
    lastNames.set(id, `N${i}`);
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
  created.sort((x, y) => x.at - y.at || (x.id < y.id ? -1 : 1));
  return created.map((c) => c.id);
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

/**
 * One page of a search, newest first, as listContacts reads it; `byCreation` false reads
 * it as a list sorted by any other field does (the table's sort index, no creationOrder).
 */
function searchedPage(
  scoped: TenantDb,
  search: SearchFilter,
  cursor: string | undefined,
  limit: number,
  { byCreation, where }: { byCreation: boolean; where: SQL | undefined },
) {
  return scoped.findMany(contacts, {
    where: byCreation ? where : and(where, afterCursor(newestFirst, contacts.id, cursor)),
    orderBy: orderFor(newestFirst, contacts.id),
    limit,
    search,
    creationOrder: byCreation ? creationOrder(newestFirst, cursor) : undefined,
  });
}

const cursorAfter = (row: { createdAt: Date; id: string }) =>
  encodeCursor("createdAt", row.createdAt.getTime(), row.id);

/** Every page of a search, following the cursors as the list endpoint does. */
async function searchAll(
  scoped: TenantDb,
  q: string,
  pageSize: number,
  { byCreation = true, where }: { byCreation?: boolean; where?: SQL } = {},
): Promise<string[]> {
  const search = scoped.searchFilter("contact", contacts.id, q);
  if (!search) throw new Error(`${q} has no words`);
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const rows = await searchedPage(scoped, search, cursor, pageSize + 1, { byCreation, where });
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
      orderBy: orderFor(newestFirst, contacts.id),
      limit: 51,
    });
    const details = (await db.all<{ detail: string }>(sql`explain query plan ${statement}`)).map((r) => r.detail);
    expect(details.filter((d) => d.includes("MATERIALIZE search_matches"))).toHaveLength(1);
    // The words and the tenant's rowid range (its search space), both answered inside FTS5.
    expect(details).toContain("SCAN search_index VIRTUAL TABLE INDEX 0:M2><");
    expect(details).toContain("SEARCH contacts USING INDEX sqlite_autoindex_contacts_1 (id=?)");
    expect(details).toContain("SEARCH contacts USING INDEX contacts_tenant_created_idx (tenant_id=?)");
  });

  it("walks search_documents' creation index for many matches of a list sorted by createdAt, from the cursor on", async () => {
    const search = a.searchFilter("contact", contacts.id, "maria")!;
    const cursor = encodeCursor("createdAt", start + 100, commonIds[200]!);
    const statement = a.searchedQuery(contacts, search, {
      limit: 51,
      creationOrder: creationOrder(newestFirst, cursor),
    });
    const details = (await db.all<{ detail: string }>(sql`explain query plan ${statement}`)).map((r) => r.detail);
    // Many: the walk.
    expect(details).toContain(
      "SEARCH search_documents USING COVERING INDEX search_documents_tenant_type_created_idx (tenant_id=? AND record_type=? AND created_at<?)",
    );
    // Few: the matches' entries by rowid, sorted, then the page's records: the only sort.
    expect(details).toContain("SEARCH search_documents USING INTEGER PRIMARY KEY (rowid=?)");
    expect(details.filter((d) => d.includes("TEMP B-TREE FOR ORDER BY"))).toHaveLength(1);
    expect(details.filter((d) => d === "SEARCH contacts USING INDEX sqlite_autoindex_contacts_1 (id=?)")).toHaveLength(
      2,
    );
    expect(details.join("\n")).not.toContain("contacts_tenant_created_idx");
    // The rowid-order reading is sent on its own before it (inRowidOrderQuery), never inside it.
    expect(details.join("\n")).not.toContain("out_of_order_idx");
    const alone = a.inRowidOrderQuery(contacts, search, { limit: 51, creationOrder: creationOrder(newestFirst, cursor) });
    const aloneDetails = (await db.all<{ detail: string }>(sql`explain query plan ${alone!}`)).map((r) => r.detail);
    // Whether the space has an out-of-order entry: one seek in the partial index.
    expect(aloneDetails).toContain(
      "SEARCH search_documents USING COVERING INDEX search_documents_tenant_type_out_of_order_idx (tenant_id=? AND record_type=?)",
    );
    // The page's entries by rowid, its rows sorted: the only sort.
    expect(aloneDetails.filter((d) => d.includes("TEMP B-TREE FOR ORDER BY"))).toHaveLength(1);
    expect(aloneDetails.join("\n")).not.toContain("MATERIALIZE search_matches");
  });

  it("copies each record's created_at into its search entry, one record or many at a time", async () => {
    const scoped = tenantDb(db, tenantB);
    const contactId = newId("contact");
    const companyId = newId("company");
    const contactAt = new Date(Date.UTC(2024, 5, 1, 12, 0, 0, 7));
    const companyAt = new Date(Date.UTC(2023, 1, 2));
    await scoped.batch([
      scoped.insertQuery(contacts, { id: contactId, firstName: "Quill", sortName: "quill", createdAt: contactAt }),
      scoped.insertQuery(companies, { id: companyId, name: "Quill Works", createdAt: companyAt }),
      ...scoped.indexManyForSearchQueries([
        { recordType: "contact", recordId: contactId, text: "Quill" },
        { recordType: "company", recordId: companyId, text: "Quill Works" },
      ]),
    ] as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    const entries = () =>
      db
        .select({ recordId: searchDocuments.recordId, createdAt: searchDocuments.createdAt })
        .from(searchDocuments)
        .where(inArray(searchDocuments.recordId, [contactId, companyId]))
        .orderBy(searchDocuments.createdAt);
    const expected = [
      { recordId: companyId, createdAt: companyAt },
      { recordId: contactId, createdAt: contactAt },
    ];
    expect(await entries()).toEqual(expected);
    // Reindexing (an update) keeps it.
    await scoped.batch(
      scoped.indexForSearchQueries("contact", contactId, "Quill Renamed") as [
        BatchItem<"sqlite">,
        ...BatchItem<"sqlite">[],
      ],
    );
    expect(await entries()).toEqual(expected);
  });

  it("returns the tenant's matches, newest first, across pages, with few matches or many", async () => {
    expect(await searchAll(a, "zebulon", 2)).toEqual([...rareIds].reverse());
    // More matches than either limit: search_documents' creation index is walked,
    // or the table's sort index for a list sorted otherwise: the same pages either way.
    // Other conditions are applied before the page is cut, in either reading.
    const n1 = commonIds.filter((id) => lastNames.get(id)!.startsWith("N1")).reverse();
    const n2 = commonIds.filter((id) => lastNames.get(id)!.startsWith("N2")).reverse();
    for (const byCreation of [true, false]) {
      expect(await searchAll(a, "maria", 50, { byCreation })).toEqual([...commonIds].reverse());
      expect(await searchAll(a, "mar", 400, { byCreation })).toEqual([...commonIds].reverse());
      expect(await searchAll(a, "maria n1", 50, { byCreation })).toEqual(n1);
      const inN2 = like(contacts.lastName, "N2%");
      expect(await searchAll(a, "maria", 50, { byCreation, where: inN2 })).toEqual(n2);
      expect(await searchAll(a, "maria n1", 7, { byCreation, where: inN2 })).toEqual([]);
      // Few matches, a page at a time: the cursor with and without other conditions.
      expect(await searchAll(a, "zebulon", 1, { byCreation })).toEqual([...rareIds].reverse());
      expect(await searchAll(a, "zebulon", 1, { byCreation, where: like(contacts.lastName, "N%") })).toEqual(
        [...rareIds].reverse(),
      );
      expect(await searchAll(a, "zebulon", 1, { byCreation, where: inN2 })).toEqual(
        rareIds.filter((id) => lastNames.get(id)!.startsWith("N2")).reverse(),
      );
    }
    // The other tenant's 30 matches and its two Zebulons never show up in the first's pages, nor the reverse.
    expect((await searchAll(b, "maria", 50)).length).toBe(30);
    expect((await searchAll(b, "zebulon", 50)).length).toBe(2);
    expect(await searchAll(a, "nomatchhere", 50)).toEqual([]);
    expect(a.searchFilter("contact", contacts.id, "?!")).toBeNull();
  });

  it("keeps every search entry in its tenant's and type's rowid range, one record or many at a time", async () => {
    // After the tests above: entries indexed one at a time (seed) and many at a time (Quill).
    const spaces = await db.select().from(searchSpaces);
    expect(spaces.map((s) => [s.tenantId, s.recordType]).sort()).toEqual(
      [
        [tenantA, "contact"],
        [tenantB, "company"],
        [tenantB, "contact"],
      ].sort(),
    );
    const entries = await db
      .select({ rowid: searchDocuments.rowid, tenantId: searchDocuments.tenantId, type: searchDocuments.recordType })
      .from(searchDocuments);
    expect(entries).toHaveLength(common + 3 + 30 + 2 + 2);
    for (const entry of entries) {
      const space = spaces.find((s) => s.id === Math.floor(entry.rowid / 2 ** 32));
      expect([space?.tenantId, space?.recordType]).toEqual([entry.tenantId, entry.type]);
    }
    // Numbered from the range's start, each tenant's contacts densely.
    const ofA = entries.filter((e) => e.tenantId === tenantA).map((e) => e.rowid % 2 ** 32);
    expect(Math.min(...ofA)).toBe(1);
    expect(Math.max(...ofA)).toBe(common + 3);
  });

  it("flags the entries indexed after a record created later than them, one record or many at a time", async () => {
    const tenant = newId("tenant");
    await db.insert(tenants).values({ id: tenant, name: "C", slug: `c-${tenant}` });
    const scoped = tenantDb(db, tenant);
    const at = (ms: number) => new Date(start + ms);
    const ids = Array.from({ length: 7 }, () => newId("contact"));
    const contact = (i: number, ms: number) =>
      scoped.insertQuery(contacts, { id: ids[i]!, firstName: "Flag", sortName: "flag", createdAt: at(ms) });
    const run = (queries: BatchItem<"sqlite">[]) =>
      scoped.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    // One at a time: 0 and 1 in creation order; 2 created before 1.
    await run([contact(0, 10), ...scoped.indexForSearchQueries("contact", ids[0]!, "flag")]);
    await run([contact(1, 20), ...scoped.indexForSearchQueries("contact", ids[1]!, "flag")]);
    await run([contact(2, 15), ...scoped.indexForSearchQueries("contact", ids[2]!, "flag")]);
    // Many at a time: 3 after the latest (20), 4 before the batch's 3, 5 after both, 6 before 1.
    const batch = [
      [3, 30],
      [4, 25],
      [5, 40],
      [6, 18],
    ] as const;
    await run([
      ...batch.map(([i, ms]) => contact(i, ms)),
      ...scoped.indexManyForSearchQueries(
        batch.map(([i]) => ({ recordType: "contact", recordId: ids[i]!, text: "flag" })),
      ),
    ]);
    const flagged = async () =>
      (
        await db
          .select({ recordId: searchDocuments.recordId })
          .from(searchDocuments)
          .where(and(eq(searchDocuments.tenantId, tenant), eq(searchDocuments.outOfOrder, true)))
      )
        .map((r) => ids.indexOf(r.recordId))
        .sort();
    expect(await flagged()).toEqual([2, 4, 6]);
    // Indexed again (an update): unchanged; with another created_at: out of order.
    await run(scoped.indexForSearchQueries("contact", ids[5]!, "flag again"));
    expect(await flagged()).toEqual([2, 4, 6]);
    await run([
      scoped.updateQuery(contacts, { createdAt: at(50) }, eq(contacts.id, ids[5]!)),
      ...scoped.indexForSearchQueries("contact", ids[5]!, "flag again"),
    ]);
    expect(await flagged()).toEqual([2, 4, 5, 6]);
  });

  it("reads a search sorted by creation in rowid order while its space is in creation order", async () => {
    const tenant = newId("tenant");
    await db.insert(tenants).values({ id: tenant, name: "D", slug: `d-${tenant}` });
    const scoped = tenantDb(db, tenant);
    // Created one after another, two per millisecond (the id breaks ties), as the API creates them.
    const queries: BatchItem<"sqlite">[] = [];
    const created: { id: string; at: number; third: boolean }[] = [];
    for (let i = 0; i < 120; i++) {
      const id = newId("contact");
      const at = start + Math.floor(i / 2);
      created.push({ id, at, third: i % 3 === 0 });
      queries.push(
        scoped.insertQuery(contacts, { id, firstName: "Ordo", sortName: "ordo", createdAt: new Date(at) }),
        ...scoped.indexForSearchQueries("contact", id, i % 3 === 0 ? "Ordo Tertius" : "Ordo"),
      );
    }
    for (let i = 0; i < queries.length; i += 80) {
      await scoped.batch(queries.slice(i, i + 80) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    }
    created.sort((x, y) => x.at - y.at || (x.id < y.id ? -1 : 1));
    const newest = created.map((c) => c.id).reverse();
    const search = scoped.searchFilter("contact", contacts.id, "ordo")!;
    // What D1 reports reading for the first page of 11 in rowid order (findMany sends it first):
    // the page's rows, not all 120 matches, which the whole statement collects and sorts.
    const firstPage = { limit: 11, creationOrder: { direction: "desc" as const } };
    const alone = db.all(scoped.inRowidOrderQuery(contacts, search, firstPage)!).getQuery();
    const readAlone = await env.DB.prepare(alone.sql)
      .bind(...alone.params)
      .all();
    expect(readAlone.results.map((r) => r.id)).toEqual(newest.slice(0, 11));
    expect(readAlone.meta.rows_read).toBeLessThan(60);
    const { sql: text, params } = db.all(scoped.searchedQuery(contacts, search, firstPage)).getQuery();
    const read = await env.DB.prepare(text)
      .bind(...params)
      .all();
    expect(read.results.map((r) => r.id)).toEqual(newest.slice(0, 11));
    expect(read.meta.rows_read).toBeGreaterThan(120);
    // Where it does not apply (tenant A's entries are out of order): one row of nulls, then the whole statement runs.
    const inA = a.searchFilter("contact", contacts.id, "maria")!;
    expect(await db.values(a.inRowidOrderQuery(contacts, inA, firstPage)!)).toEqual([
      Object.keys(getTableColumns(contacts)).map(() => null),
    ]);
    expect(
      scoped.inRowidOrderQuery(contacts, search, { ...firstPage, where: like(contacts.lastName, "N%") }),
    ).toBeNull();
    for (const pageSize of [3, 7, 50]) expect(await searchAll(scoped, "ordo", pageSize)).toEqual(newest);
    expect(await searchAll(scoped, "ordo tertius", 9)).toEqual(
      newest.filter((id) => created.find((c) => c.id === id)!.third),
    );
    // Oldest first, a page at a time from each cursor.
    const oldest: string[] = [];
    let after: { createdAt: Date; id: string } | undefined;
    for (;;) {
      const rows = await scoped.findMany(contacts, { limit: 8, search, creationOrder: { direction: "asc", after } });
      oldest.push(...rows.slice(0, 7).map((r) => r.id));
      if (rows.length <= 7) break;
      after = { createdAt: rows[6]!.createdAt, id: rows[6]!.id };
    }
    expect(oldest).toEqual([...newest].reverse());
    // A cursor whose record is gone, and a record created before the latest: still the same pages.
    const gone = newest[10]!;
    await scoped.batch([scoped.deleteQuery(contacts, eq(contacts.id, gone)), ...scoped.unindexForSearchQueries(gone)]);
    const remaining = newest.filter((id) => id !== gone);
    const goneAt = new Date(created.find((c) => c.id === gone)!.at);
    const page = await searchedPage(scoped, search, cursorAfter({ createdAt: goneAt, id: gone }), 5, {
      byCreation: true,
      where: undefined,
    });
    expect(page.map((r) => r.id)).toEqual(remaining.slice(10, 15));
    const late = newId("contact");
    await scoped.batch([
      scoped.insertQuery(contacts, { id: late, firstName: "Ordo", sortName: "ordo", createdAt: new Date(start + 30) }),
      ...scoped.indexForSearchQueries("contact", late, "Ordo"),
    ]);
    const withLate = [...remaining.filter((id) => created.find((c) => c.id === id)!.at > start + 30), late];
    withLate.push(...remaining.filter((id) => created.find((c) => c.id === id)!.at <= start + 30));
    for (const pageSize of [3, 50]) expect(await searchAll(scoped, "ordo", pageSize)).toEqual(withLate);
  });
});
