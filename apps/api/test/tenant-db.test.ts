import { env } from "cloudflare:test";
import { apiKeys, auditLog, createDb, newId, searchScopeToken, tenantDb, tenants, users } from "@crm/db";
import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * TenantDb is the only way services reach tenant-owned tables. Whatever the caller's where
 * clause says, tenant A's handle reads, counts, changes and deletes only A's rows, and writes
 * only A's tenant id.
 */
const db = createDb(env.DB);
const tenantA = newId("tenant");
const tenantB = newId("tenant");
const a = tenantDb(db, tenantA);

function auditValues(entityId: string) {
  return {
    id: newId("audit"),
    actorType: "system" as const,
    actorId: "test",
    via: "system" as const,
    action: "create" as const,
    entity: "probe",
    entityId,
    before: null,
    after: { n: 1 },
    requestId: null,
  };
}

let rowsOfA: string[] = [];
let rowOfB = "";

beforeAll(async () => {
  await db.insert(tenants).values([
    { id: tenantA, name: "A", slug: `a-${tenantA}` },
    { id: tenantB, name: "B", slug: `b-${tenantB}` },
  ]);
  const ofA = [auditValues("a-1"), auditValues("a-2")];
  const ofB = auditValues("b-1");
  // Seeded without TenantDb, the way another tenant's data simply exists in the table.
  await db.insert(auditLog).values([...ofA.map((v) => ({ ...v, tenantId: tenantA })), { ...ofB, tenantId: tenantB }]);
  rowsOfA = ofA.map((v) => v.id);
  rowOfB = ofB.id;
});

async function rowOfBAsStored() {
  return db.query.auditLog.findFirst({ where: eq(auditLog.id, rowOfB) });
}

describe("TenantDb scoping", () => {
  it("findMany sees only its tenant's rows, even when the where clause names the other tenant", async () => {
    const all = await a.findMany(auditLog);
    expect(all.map((r) => r.id).sort()).toEqual([...rowsOfA].sort());
    expect(all.every((r) => r.tenantId === tenantA)).toBe(true);
    expect(await a.findMany(auditLog, { where: eq(auditLog.tenantId, tenantB) })).toEqual([]);
    expect(await a.findMany(auditLog, { where: eq(auditLog.id, rowOfB) })).toEqual([]);
    const widened = await a.findMany(auditLog, { where: sql`1 = 1 or ${auditLog.tenantId} = ${tenantB}` });
    expect(widened.map((r) => r.tenantId)).toEqual([tenantA, tenantA]);
  });

  it("findFirst and count do not see the other tenant's row", async () => {
    expect(await a.findFirst(auditLog, eq(auditLog.id, rowOfB))).toBeUndefined();
    expect((await a.findFirst(auditLog, eq(auditLog.id, rowsOfA[0]!)))?.id).toBe(rowsOfA[0]);
    expect(await a.count(auditLog)).toBe(2);
    expect(await a.count(auditLog, eq(auditLog.tenantId, tenantB))).toBe(0);
    expect(await a.count(auditLog, inArray(auditLog.id, [rowOfB, ...rowsOfA]))).toBe(2);
  });

  it("update never touches the other tenant's row, and cannot move a row to another tenant", async () => {
    expect(await a.update(auditLog, { entity: "hijacked" }, eq(auditLog.id, rowOfB))).toEqual([]);
    expect((await rowOfBAsStored())?.entity).toBe("probe");
    const everything = await a.update(auditLog, { actorId: "touched" }, sql`1 = 1`);
    expect(everything.map((r) => r.tenantId)).toEqual([tenantA, tenantA]);
    expect((await rowOfBAsStored())?.actorId).toBe("test");

    // @ts-expect-error tenantId is not settable through TenantDb
    await a.update(auditLog, { tenantId: tenantB, entity: "moved?" }, eq(auditLog.id, rowsOfA[0]!));
    const moved = await db.query.auditLog.findFirst({ where: eq(auditLog.id, rowsOfA[0]!) });
    expect(moved).toMatchObject({ entity: "moved?", tenantId: tenantA });
  });

  it("delete never removes the other tenant's row", async () => {
    expect(await a.delete(auditLog, eq(auditLog.id, rowOfB))).toEqual([]);
    expect(await a.delete(auditLog, eq(auditLog.tenantId, tenantB))).toEqual([]);
    expect(await rowOfBAsStored()).toBeDefined();
  });

  it("insert always writes its own tenant id, whatever the values say", async () => {
    const values = auditValues("a-inserted");
    // @ts-expect-error tenantId cannot be passed to insert: TenantDb writes it
    const row = await a.insert(auditLog, { ...values, tenantId: tenantB });
    expect(row.tenantId).toBe(tenantA);
    const stored = await db.query.auditLog.findFirst({ where: eq(auditLog.id, values.id) });
    expect(stored?.tenantId).toBe(tenantA);

    const many = [auditValues("a-batch-1"), auditValues("a-batch-2")].map((v) => ({ ...v, tenantId: tenantB }));
    await a.batch([a.insertQuery(auditLog, many as never)]);
    const batchRows = await db
      .select()
      .from(auditLog)
      .where(
        inArray(
          auditLog.id,
          many.map((v) => v.id),
        ),
      );
    expect(batchRows.map((r) => r.tenantId)).toEqual([tenantA, tenantA]);
  });

  it("insertJsonQueries stores the rows a drizzle insert stores: JSON columns, SQL NULL, dates, its own tenant id", async () => {
    const tricky = {
      quote: 'She said "hi"',
      lines: "one\ntwo\ttab \\ back",
      unicode: "é € 🙂 \u2028",
      numbers: [0, -1.5, 1e21, 12345678901],
      flags: [true, false, null],
      nested: { empty: {}, list: [] },
    };
    const createdAt = new Date("2026-01-02T03:04:05.678Z");
    const viaDrizzle = { ...auditValues("json-drizzle"), after: tricky, createdAt };
    const viaJson = { ...auditValues("json-bulk"), after: tricky, createdAt, tenantId: tenantB };
    await a.batch([a.insertQuery(auditLog, viaDrizzle), ...a.insertJsonQueries(auditLog, [viaJson as never])]);
    const [drizzleRow, jsonRow] = await Promise.all(
      [viaDrizzle.id, viaJson.id].map((id) => db.query.auditLog.findFirst({ where: eq(auditLog.id, id) })),
    );
    expect(jsonRow).toEqual({ ...drizzleRow, id: viaJson.id, entityId: "json-bulk" });
    expect(jsonRow?.tenantId).toBe(tenantA);
    const raw = await env.DB.prepare(
      "select before is null as beforeIsNull, typeof(created_at) as t from audit_log where id = ?",
    )
      .bind(viaJson.id)
      .first<{ beforeIsNull: number; t: string }>();
    expect(raw).toEqual({ beforeIsNull: 1, t: "integer" });
  });

  it("insertJsonQueries with sharedCells stores the rows it stores without: cells sent once or per row", async () => {
    const createdAt = new Date("2026-03-04T05:06:07.890Z");
    // Shared: the actor, entity, NULL before, request id, created_at; per row: ids, entity ids
    // (two alike, one not), the JSON after (an object, never shared), one row's time apart.
    const rowsFor = (label: string) =>
      [
        { entityId: `${label}-x`, after: { n: 1 } },
        { entityId: `${label}-x`, after: { n: 2, quote: 'a "b"' } },
        { entityId: `${label}-y`, after: { n: 1 } },
      ].map((row) => ({ ...auditValues(row.entityId), after: row.after, createdAt }));
    const perRow = rowsFor("per-row");
    const shared = rowsFor("shared");
    const [first, ...rest] = [
      ...a.insertJsonQueries(auditLog, perRow as never[]),
      ...a.insertJsonQueries(auditLog, shared as never[], { sharedCells: true }),
    ];
    await a.batch([first!, ...rest]);
    const stored = async (rows: { id: string }[]) =>
      (
        await db.query.auditLog.findMany({
          where: inArray(
            auditLog.id,
            rows.map((r) => r.id),
          ),
        })
      )
        .sort((x, y) => x.id.localeCompare(y.id))
        .map(({ id: _id, entityId, ...rest }) => ({ ...rest, entityId: entityId.replace(/^[a-z-]+-/, "") }));
    const storedShared = await stored(shared);
    expect(storedShared).toHaveLength(3);
    expect(storedShared).toEqual(await stored(perRow));
    expect(storedShared.every((r) => r.tenantId === tenantA && r.before === null)).toBe(true);
    const { results } = await env.DB.prepare(
      "select typeof(created_at) as t, typeof(after) as a, typeof(before) as b from audit_log where entity_id like 'shared-%'",
    ).all<{ t: string; a: string; b: string }>();
    expect(results).toEqual(Array(3).fill({ t: "integer", a: "text", b: "null" }));
  });

  it("indexManyForSearchQueries gives each record type the FTS scope indexForSearchQueries gives it", async () => {
    const [contactOne, companyOne] = [newId("contact"), newId("company")];
    const [contactTwo, companyTwo, contactThree] = [newId("contact"), newId("company"), newId("contact")];
    const [first, ...rest] = [
      ...a.indexForSearchQueries("contact", contactOne, "one"),
      ...a.indexForSearchQueries("company", companyOne, "two"),
    ];
    await a.batch([first!, ...rest]);
    const [bulkFirst, ...bulkRest] = a.indexManyForSearchQueries([
      { recordType: "company", recordId: companyTwo, text: "three" },
      { recordType: "contact", recordId: contactTwo, text: "four" },
      { recordType: "contact", recordId: contactThree, text: "five" },
    ]);
    await a.batch([bulkFirst!, ...bulkRest]);
    const { results } = await env.DB.prepare(
      "select d.record_id as id, s.scope as scope, s.body as body from search_documents d join search_index s on s.rowid = d.rowid where d.tenant_id = ?",
    )
      .bind(tenantA)
      .all<{ id: string; scope: string; body: string }>();
    const indexed = (id: string) => results.find((r) => r.id === id);
    const contactScope = `${searchScopeToken(tenantA)} ${searchScopeToken(tenantA, "contact")}`;
    const companyScope = `${searchScopeToken(tenantA)} ${searchScopeToken(tenantA, "company")}`;
    expect(indexed(contactOne)?.scope).toBe(contactScope);
    expect(indexed(companyOne)?.scope).toBe(companyScope);
    expect(indexed(companyTwo)).toEqual({ id: companyTwo, scope: companyScope, body: "three" });
    expect(indexed(contactTwo)).toEqual({ id: contactTwo, scope: contactScope, body: "four" });
    expect(indexed(contactThree)).toEqual({ id: contactThree, scope: contactScope, body: "five" });
  });

  it("a table without tenant_id is refused at compile time", async () => {
    // @ts-expect-error users is global, not tenant-owned: TenantDb does not take it
    const refused = () => a.findMany(users);
    expect(typeof refused).toBe("function");
    // A tenant-owned table with a foreign key to tenants works the same way.
    const key = await a.insert(apiKeys, {
      id: newId("apiKey"),
      name: "probe",
      prefix: "crm_probe",
      keyHash: `hash-${crypto.randomUUID()}`,
      scopes: [],
      createdBy: "test",
    });
    expect(key.tenantId).toBe(tenantA);
    expect(await tenantDb(db, tenantB).findFirst(apiKeys, eq(apiKeys.id, key.id))).toBeUndefined();
  });
});
