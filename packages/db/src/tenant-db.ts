import { and, Column, eq, getTableColumns, inArray, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import {
  getTableConfig,
  type SQLiteColumn,
  type SQLiteTable,
  type SQLiteUpdateSetSource,
} from "drizzle-orm/sqlite-core";
import type { Database } from "./client";
import { companies, contacts, deals, leads, type RecordType, searchDocuments, searchSpaces, tasks } from "./schema/crm";
import { type TenantSettings, tenants } from "./schema/identity";

/** A table whose rows belong to one tenant. */
export type TenantTable = SQLiteTable & { tenantId: SQLiteColumn };

type Row<T extends TenantTable> = T["$inferSelect"];
type NewRow<T extends TenantTable> = Omit<T["$inferInsert"], "tenantId">;
/** A column's key in the table's object (getTableColumns). */
type ColumnKey<T extends TenantTable> = keyof Row<T> & string;

/** How insertJsonQueries treats its rows. */
export interface JsonInsertOptions {
  /** A row that would break a unique index is left out (a claim by key). */
  onConflictDoNothing?: boolean;
  /**
   * A column whose cell is the same text, number, boolean or null in every row (a bulk
   * create's owner, times, defaults and empty fields) is sent once for the statement rather
   * than in each row's cells: fewer bytes to encode, carry and parse, the same rows stored.
   */
  sharedCells?: boolean;
}

export interface FindOptions {
  where?: SQL | undefined;
  orderBy?: SQL | SQL[] | SQLiteColumn | SQLiteColumn[];
  limit?: number;
  /** Read the rows from `where`'s matches, looked up by id, rather than by walking an index. See `scope`. */
  fromMatches?: boolean | undefined;
  /**
   * findMany only: keep the rows matching this full-text filter (`where` must not hold its
   * condition). The statement counts the matches first and reads the page the way that
   * suits their number (see findSearched).
   */
  search?: SearchFilter | null | undefined;
  /**
   * findMany with `search` only: the list is sorted by created_at, then id, in this
   * direction, and `after` is the cursor (`where` then holds neither the cursor nor, as
   * ever, the search; `orderBy` is not used). The matches are then sorted or walked in
   * search_documents, which holds each record's created_at (see findSearched).
   */
  creationOrder?: CreationOrder | undefined;
}

/** A searched list sorted by creation (FindOptions.creationOrder). */
export interface CreationOrder {
  direction: "asc" | "desc";
  /** The last row of the previous page. */
  after?: { createdAt: Date; id: string } | undefined;
}

/** A list's full-text filter (TenantDb.searchFilter). */
export interface SearchFilter {
  /**
   * `id IN (records of this tenant and type matching q)`. It reads the matches findMany's
   * statement collects once, so findMany applies it itself (FindOptions.search).
   */
  condition: SQL;
  /** The FTS5 query: the words. The tenant and record type are its rowid range (searchSpaces). */
  match: string;
  recordType: RecordType;
}

/** How many rowids a search space holds (searchSpaces): 2^32. */
const spaceSize = 2 ** 32;

/**
 * A space's last rowid past its first, written into the SQL text: D1 binds a number as a
 * REAL, and FTS5 ignores a rowid bound that is not an INTEGER, so a bound parameter here
 * made every search read the index's matches of all later spaces too (D1's rows_read:
 * 1,805 instead of 207 for a page of q=gmail in bench/crm-lists.mjs).
 */
const spaceLast = sql.raw(String(spaceSize - 1));

/** How many statements `indexForSearchQueries` returns (the bulk writer builds them lazily). */
export const searchIndexStatementCount = 4;

/** Each searchable record type's table: search_documents.created_at is copied from its row. */
const recordTables = { contact: contacts, company: companies, lead: leads, deal: deals, task: tasks } as const;

/**
 * Up to this many matches, a searched list looks its matches up by id; beyond it, walking
 * the sort index until a page of them turns up costs less (the fewer the matches, the longer
 * that walk: the whole tenant for one match). Measured by bench/crm-lists.mjs.
 */
export const selectiveSearchLimit = 300;

/**
 * The same choice for a search sorted by creation (FindOptions.creationOrder): sorting the
 * matches in search_documents costs less than looking records up, so it pays up to more
 * matches (break-even about 1,200 in a tenant of 100,000: bench/crm-lists.mjs's tenant).
 */
export const selectiveCreationSearchLimit = 1000;

/**
 * The only way services touch tenant-owned tables. Every read, update and delete is
 * ANDed with `tenant_id = ?` and every insert gets the tenant id written in, so a query
 * without the tenant predicate cannot be expressed through it. Identity tables (users,
 * refresh tokens) are reached through the auth service, not through this.
 */
export class TenantDb {
  constructor(
    private readonly db: Database,
    readonly tenantId: string,
  ) {}

  /**
   * The tenant predicate, ANDed with an optional condition; for use inside this class's builders.
   * `fromMatches` writes it `+tenant_id = ?`: applied all the same, but not an index SQLite can
   * walk, so it looks a selective search's matches up by id. Otherwise SQLite (without ANALYZE
   * statistics it takes `tenant_id = ?` for ~10 rows) walks the tenant's sort index until a page
   * of rows matches: every row of the tenant for a search that matches one.
   */
  scope<T extends TenantTable>(table: T, condition?: SQL, { fromMatches = false } = {}): SQL {
    const own = fromMatches ? sql`+${table.tenantId} = ${this.tenantId}` : eq(table.tenantId, this.tenantId);
    // Parenthesised: a raw `a or b` condition must not escape the tenant predicate by precedence.
    return condition ? (and(own, sql`(${condition})`) as SQL) : own;
  }

  /** The query findMany runs, unexecuted: several reads can then share one D1 batch (one round trip). */
  selectQuery<T extends TenantTable>(table: T, options: FindOptions = {}) {
    let query = this.db
      .select()
      .from(table as SQLiteTable)
      .where(this.scope(table, options.where, { fromMatches: options.fromMatches ?? false }))
      .$dynamic();
    if (options.orderBy) {
      const order = Array.isArray(options.orderBy) ? options.orderBy : [options.orderBy];
      query = query.orderBy(...order);
    }
    if (options.limit !== undefined) query = query.limit(options.limit);
    return query;
  }

  async findMany<T extends TenantTable>(table: T, options: FindOptions = {}): Promise<Row<T>[]> {
    if (options.search) return this.findSearched(table, options.search, options);
    return (await this.selectQuery(table, options)) as Row<T>[];
  }

  /**
   * findMany's rows as SQLite sends them: arrays of values in the table's column order (as
   * getTableColumns lists them), nothing decoded (JSON columns as text, times as epoch ms).
   * A list that writes its JSON from these skips building and serialising a row object.
   * With `columns`, only those columns, in that order: each column read costs SQLite's value
   * extraction and D1's JSON both ways, so a list leaves out what its JSON does not show.
   */
  async findManyValues<T extends TenantTable>(
    table: T,
    options: FindOptions = {},
    columns?: readonly ColumnKey<T>[],
  ): Promise<unknown[][]> {
    if (options.search) return this.searchedValues(table, options.search, options, columns);
    return this.db.values<unknown[]>(this.valuesQuery(table, options, columns));
  }

  /**
   * selectQuery's statement written with the table's column list as one piece of text
   * (qualifiedColumnList): drizzle's select builder turns each of the 26 columns into SQL
   * again on every request, which was most of what building a list page's statement cost.
   */
  private valuesQuery<T extends TenantTable>(table: T, options: FindOptions, columns?: readonly string[]): SQL {
    const { where, orderBy, limit, fromMatches = false } = options;
    const order = orderBy === undefined ? [] : Array.isArray(orderBy) ? orderBy : [orderBy];
    const orderClause = order.length > 0 ? sql` order by ${sql.join(order, sql`, `)}` : sql``;
    const limitClause = limit === undefined ? sql`` : sql` limit ${limit}`;
    return sql`select ${qualifiedColumnList(table, columns)} from ${table} where ${this.scope(table, where, { fromMatches })}${orderClause}${limitClause}`;
  }

  /**
   * A searched page in one statement (one D1 round trip): the FTS5 matches are collected once
   * (a materialised CTE), and their number picks which of two readings runs. Both are written
   * out, UNION ALL'd, and the other gets LIMIT 0, which SQLite checks before it starts it.
   *   few matches: look each match up, then sort them;
   *   many: walk a sort index and keep the rows that match.
   * Sorted by creation (`creationOrder`), both read search_documents, which holds each
   * record's created_at: few matches are sorted there and only the page's rows are read;
   * many are found by walking its (tenant, type, created_at, record_id) index against the
   * matches' rowids. Otherwise the few are looked up by id in the table (`fromMatches`) and
   * the many found by walking the table's sort index against all matches' record ids.
   * Sorted by creation with no other condition, a third reading comes first: while the
   * search space has no out-of-order entry, rowid order is creation order, so FTS5 hands
   * over the page's matches in rowid order and stops (matchesInRowidOrder); the matches are
   * then neither collected nor counted.
   */
  private async findSearched<T extends TenantTable>(
    table: T,
    search: SearchFilter,
    options: FindOptions,
  ): Promise<Row<T>[]> {
    // Every reading selects the table's columns in its order (qualifiedColumnList, selectQuery).
    const values = await this.searchedValues(table, search, options);
    return values.map(rowMapper(table)) as Row<T>[];
  }

  /**
   * A searched page's values. When the rowid-order reading can run (sorted by creation, no
   * other condition), it is sent alone first (inRowidOrderQuery): neither the matches'
   * collection nor the two other readings are in its text, which D1 would otherwise set up
   * and check on every request. Only when it does not apply (an out-of-order entry in the
   * search space, a cursor whose entry is gone) does searchedQuery's whole statement run too.
   */
  private async searchedValues<T extends TenantTable>(
    table: T,
    search: SearchFilter,
    options: FindOptions,
    columns?: readonly ColumnKey<T>[],
  ): Promise<unknown[][]> {
    const inRowidOrder = this.inRowidOrderQuery(table, search, options, columns);
    if (inRowidOrder) {
      const rows = await this.db.values<unknown[]>(inRowidOrder);
      if (!(rows.length === 1 && rows[0]!.every((value) => value === null))) return rows;
    }
    return this.db.values<unknown[]>(this.searchedQuery(table, search, options, columns));
  }

  /**
   * The rowid-order reading alone (matchesInRowidOrder), or null when the list's shape rules it
   * out. When it does not apply, it answers one row of nulls (no row read is all nulls: the
   * columns include the id); public for the query-plan tests.
   */
  inRowidOrderQuery<T extends TenantTable>(
    table: T,
    search: SearchFilter,
    options: FindOptions,
    columns?: readonly ColumnKey<T>[],
  ): SQL | null {
    const { limit = -1, creationOrder, where } = options;
    if (!creationOrder || where) return null;
    if (columns && !columns.includes("id" as ColumnKey<T>)) throw new Error("a searched read's columns include the id");
    const { applies, reading } = this.matchesInRowidOrder(
      table,
      qualifiedColumnList(table, columns),
      search,
      creationOrder,
    );
    const nulls = sql.raw(
      Array<string>(columns?.length ?? Object.keys(getTableColumnsByName(table)).length)
        .fill("null")
        .join(", "),
    );
    return sql`select * from (${reading(limit)} limit iif(${applies}, ${limit}, 0))
      union all
      select ${nulls} where not ${applies}`;
  }

  /**
   * The statement a searched page runs when the rowid-order reading does not (inRowidOrderQuery
   * ruled it out or answered nulls): few matches or many, chosen in SQL by counting them;
   * public for the query-plan tests.
   */
  searchedQuery<T extends TenantTable>(
    table: T,
    search: SearchFilter,
    options: FindOptions,
    columns?: readonly ColumnKey<T>[],
  ): SQL {
    const { search: _search, limit = -1, creationOrder, ...rest } = options;
    const list = qualifiedColumnList(table, columns);
    const reading = (fromMatches: boolean) =>
      this.valuesQuery(table, { ...rest, where: and(search.condition, rest.where), fromMatches }, columns);
    const [few, many] = creationOrder
      ? [
          this.fewMatchesInCreationOrder(table, list, search, rest.where, creationOrder, limit),
          this.manyMatchesInCreationOrder(table, list, search, rest.where, creationOrder),
        ]
      : [reading(true), reading(false)];
    const fewest = creationOrder ? selectiveCreationSearchLimit : selectiveSearchLimit;
    // Counting stops at the limit: past it, the number no longer changes the choice.
    const count = sql`(select count(*) from (select 1 from search_matches limit ${fewest}))`;
    return sql`with search_matches(rowid) as materialized (select rowid from search_index where search_index match ${search.match} and ${this.inSearchSpace(sql`rowid`, search.recordType)})
      select * from (${few} limit iif(${count} < ${fewest}, ${limit}, 0))
      union all
      select * from (${many} limit iif(${count} >= ${fewest}, ${limit}, 0))`;
  }

  /**
   * A search sorted by creation, read in rowid order: the first `limit` matches FTS5 finds
   * walking the space's rowids down (newest first) or up, from the cursor's entry on, are
   * the page. That holds while no entry of the space is out of order (searchDocuments'
   * outOfOrder: each was indexed after every entry created before it), and only with the
   * cursor's own entry to start from (it has the cursor's created_at); `applies` is that
   * test. Then rowid order and (created_at, record_id) order agree, and the matches are
   * neither all collected nor sorted: the page costs its own rows.
   */
  private matchesInRowidOrder<T extends TenantTable>(table: T, list: SQL, search: SearchFilter, order: CreationOrder) {
    const d = searchDocuments;
    const idColumn = getTableColumnsByName(table).id!;
    const { dir } = this.creationOrderTerms(order);
    // A literal 1: the partial index's condition, which SQLite must see to use it.
    const anyOutOfOrder = sql`exists (select 1 from ${d} where ${d.tenantId} = ${this.tenantId} and ${d.recordType} = ${search.recordType} and ${d.outOfOrder} = 1)`;
    const cursorEntry = order.after
      ? sql`(select ${d.rowid} from ${d} where ${d.tenantId} = ${this.tenantId} and ${d.recordId} = ${order.after.id} and ${d.recordType} = ${search.recordType} and ${d.createdAt} = ${order.after.createdAt.getTime()})`
      : null;
    const applies = cursorEntry
      ? sql`(not ${anyOutOfOrder} and ${cursorEntry} is not null)`
      : sql`(not ${anyOutOfOrder})`;
    const beyondCursor = cursorEntry
      ? sql` and rowid ${order.direction === "desc" ? sql`<` : sql`>`} ${cursorEntry}`
      : sql``;
    const reading = (limit: number) =>
      sql`select ${list} from (select rowid from search_index where search_index match ${search.match}
          and ${this.inSearchSpace(sql`rowid`, search.recordType)}${beyondCursor} order by rowid ${dir} limit ${limit}) page
        cross join ${d} on ${d.rowid} = page.rowid
        cross join ${table} on ${idColumn} = ${d.recordId}
        where ${this.scope(table, undefined, { fromMatches: true })}
        order by ${d.createdAt} ${dir}, ${d.recordId} ${dir}`;
    return { applies, reading };
  }

  /** search_documents' created_at, record_id order and the cursor's condition on them. */
  private creationOrderTerms(order: CreationOrder) {
    const d = searchDocuments;
    const dir = order.direction === "desc" ? sql`desc` : sql`asc`;
    let after = sql``;
    if (order.after) {
      const at = order.after.createdAt.getTime();
      const [beyond, within] = order.direction === "desc" ? [sql`<`, sql`<=`] : [sql`>`, sql`>=`];
      // The plain range term lets SQLite seek the index (as afterCursor's does).
      after = sql` and ${d.createdAt} ${within} ${at} and (${d.createdAt} ${beyond} ${at} or (${d.createdAt} = ${at} and ${d.recordId} ${beyond} ${order.after.id}))`;
    }
    return { dir, after };
  }

  /**
   * Few matches, sorted by creation: each match's search_documents entry by rowid, sorted
   * there. Without other conditions only the page's records are read (a record and its
   * entry are written and deleted together); with them, every match's record is read,
   * filtered, then sorted.
   */
  private fewMatchesInCreationOrder<T extends TenantTable>(
    table: T,
    list: SQL,
    search: SearchFilter,
    where: SQL | undefined,
    order: CreationOrder,
    limit: number,
  ): SQL {
    const d = searchDocuments;
    const idColumn = getTableColumnsByName(table).id!;
    const { dir, after } = this.creationOrderTerms(order);
    const entries = sql`search_matches m join ${d} on ${d.rowid} = m.rowid`;
    // `+`: look the entries up by rowid rather than walk an index of the tenant's.
    const own = sql`+${d.tenantId} = ${this.tenantId} and +${d.recordType} = ${search.recordType}${after}`;
    if (!where) {
      return sql`select ${list} from (select ${d.recordId} as record_id, ${d.createdAt} as created_at
          from ${entries} where ${own} order by ${d.createdAt} ${dir}, ${d.recordId} ${dir} limit ${limit}) page
        cross join ${table} on ${idColumn} = page.record_id
        where ${this.scope(table, undefined, { fromMatches: true })}
        order by page.created_at ${dir}, page.record_id ${dir}`;
    }
    return sql`select ${list} from ${entries} cross join ${table} on ${idColumn} = ${d.recordId}
      where ${own} and ${this.scope(table, where, { fromMatches: true })}
      order by ${d.createdAt} ${dir}, ${d.recordId} ${dir}`;
  }

  /**
   * Many matches, sorted by creation: the tenant's entries of the search's type in creation
   * order, from search_documents' creation index (the cursor seeks it), kept when their
   * rowid is a match, joined to their record (CROSS JOIN: the index drives) and filtered.
   */
  private manyMatchesInCreationOrder<T extends TenantTable>(
    table: T,
    list: SQL,
    search: SearchFilter,
    where: SQL | undefined,
    order: CreationOrder,
  ): SQL {
    const d = searchDocuments;
    const idColumn = getTableColumnsByName(table).id!;
    const { dir, after } = this.creationOrderTerms(order);
    return sql`select ${list} from ${d} cross join ${table} on ${idColumn} = ${d.recordId}
      where ${d.tenantId} = ${this.tenantId} and ${d.recordType} = ${search.recordType}
        and ${d.rowid} in (select rowid from search_matches)${after}
        and ${this.scope(table, where, { fromMatches: true })}
      order by ${d.createdAt} ${dir}, ${d.recordId} ${dir}`;
  }

  /**
   * Aggregates (count, sum, avg as `sql<number>` expressions) over this tenant's rows,
   * optionally grouped: statistics run in SQL over the tenant-leading indexes.
   */
  aggregateQuery<T extends TenantTable, F extends Record<string, SQL | SQL.Aliased | SQLiteColumn>>(
    table: T,
    fields: F,
    options: { where?: SQL | undefined; groupBy?: (SQL | SQLiteColumn)[]; fromMatches?: boolean | undefined } = {},
  ) {
    const query = this.db
      .select(fields)
      .from(table as SQLiteTable)
      .where(this.scope(table, options.where, { fromMatches: options.fromMatches ?? false }))
      .$dynamic();
    return options.groupBy && options.groupBy.length > 0 ? query.groupBy(...options.groupBy) : query;
  }

  async findFirst<T extends TenantTable>(table: T, where?: SQL): Promise<Row<T> | undefined> {
    const rows = await this.findMany(table, { where, limit: 1 });
    return rows[0];
  }

  async count<T extends TenantTable>(table: T, where?: SQL): Promise<number> {
    const rows = await this.db
      .select({ n: sql<number>`count(*)` })
      .from(table as SQLiteTable)
      .where(this.scope(table, where));
    return rows[0]?.n ?? 0;
  }

  /** `select <column> from <table> where tenant_id = ? and <where>`: for `IN (...)` subqueries. */
  scopedSelectIds<T extends TenantTable>(table: T, column: SQLiteColumn, where?: SQL, { fromMatches = false } = {}) {
    return this.db
      .select({ id: column })
      .from(table as SQLiteTable)
      .where(this.scope(table, where, { fromMatches }));
  }

  insertQuery<T extends TenantTable>(table: T, values: NewRow<T> | NewRow<T>[]) {
    const rows = (Array.isArray(values) ? values : [values]).map((v) => ({
      ...v,
      tenantId: this.tenantId,
    }));
    return this.db.insert(table).values(rows as T["$inferInsert"][]);
  }

  async insert<T extends TenantTable>(table: T, values: NewRow<T>): Promise<Row<T>> {
    const rows = await this.insertQuery(table, values).returning();
    return (rows as Row<T>[])[0]!;
  }

  /** `fromMatches`: `where` names the rows by id (see scope), so they are looked up, not walked to. */
  updateQuery<T extends TenantTable>(
    table: T,
    set: Omit<SQLiteUpdateSetSource<T>, "tenantId">,
    where: SQL,
    { fromMatches = false } = {},
  ) {
    // The type already forbids tenantId; dropping it at run time too means a cast cannot move rows.
    const { tenantId: _tenantId, ...own } = set as Record<string, unknown>;
    return this.db
      .update(table)
      .set(own as SQLiteUpdateSetSource<T>)
      .where(this.scope(table, where, { fromMatches }));
  }

  async update<T extends TenantTable>(
    table: T,
    set: Omit<SQLiteUpdateSetSource<T>, "tenantId">,
    where: SQL,
  ): Promise<Row<T>[]> {
    return (await this.updateQuery(table, set, where).returning()) as Row<T>[];
  }

  deleteQuery<T extends TenantTable>(table: T, where: SQL) {
    return this.db.delete(table).where(this.scope(table, where));
  }

  async delete<T extends TenantTable>(table: T, where: SQL): Promise<Row<T>[]> {
    return (await this.deleteQuery(table, where).returning()) as Row<T>[];
  }

  /**
   * Rows of `table` made in one statement from this tenant's rows of `source` that match
   * `where` (`insert into table select ... from source where ... on conflict do nothing`), each
   * column given as SQL over `source`'s columns; tenant_id is written in, as every insert's.
   * For rows that copy what the batch has just written (a send batch's outbox rows from its
   * messages), so D1 is not sent the same bodies twice. `where` names the rows by id:
   * looked up, not walked to (scope's fromMatches).
   */
  copyRowsQuery<T extends TenantTable, S extends TenantTable>(
    table: T,
    source: S,
    values: Partial<Record<keyof NewRow<T>, SQL | SQLiteColumn>>,
    where: SQL,
  ): BatchItem<"sqlite"> {
    const { names, cells } = this.copiedColumns(table, values);
    return this.batchableRun(
      sql`insert into ${table} (${names}) select ${cells} from ${source} where ${this.scope(source, where, { fromMatches: true })} on conflict do nothing`,
    );
  }

  /**
   * copyRowsQuery for rows paired with the writer's own cells: one row of `table` per entry
   * of `entries` (`[source id, ...cells]`), made from this tenant's row of `source` with that
   * id and the entry, whose cell i `values` reads as `entry(i)`. The entries travel as one
   * JSON parameter (as insertJsonQueries' rows) and each is one lookup of `source` by id.
   * For rows that repeat what the batch has just written (a new record's audit snapshot).
   */
  copyRowsWithQueries<T extends TenantTable, S extends TenantTable & { id: SQLiteColumn }>(
    table: T,
    source: S,
    entries: unknown[][],
    values: (entry: (index: number) => SQL) => Partial<Record<keyof NewRow<T>, SQL | SQLiteColumn>>,
  ): BatchItem<"sqlite">[] {
    const { names, cells } = this.copiedColumns(
      table,
      values((index) => sql.raw(`j.value ->> ${index}`)),
    );
    const queries: BatchItem<"sqlite">[] = [];
    // Entries are short (ids and a few cells): 5,000 stay far below D1's 2,000,000-byte strings.
    for (let i = 0; i < entries.length; i += 5000) {
      const part = JSON.stringify(entries.slice(i, i + 5000));
      queries.push(
        this.batchableRun(
          sql`insert into ${table} (${names}) select ${cells} from jsonb_each(${part}) j cross join ${source} where ${this.scope(source, sql`${source.id} = j.value ->> 0`, { fromMatches: true })}`,
        ),
      );
    }
    return queries;
  }

  /** The insert's column names and the select's cells of a copy: this tenant's id, then `values`. */
  private copiedColumns<T extends TenantTable>(
    table: T,
    values: Partial<Record<keyof NewRow<T>, SQL | SQLiteColumn>>,
  ): { names: SQL; cells: SQL } {
    const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
    const set = Object.entries(values) as [string, SQL | SQLiteColumn][];
    return {
      names: sql.join(
        [sql.identifier(table.tenantId.name), ...set.map(([key]) => sql.identifier(columns[key]!.name))],
        sql`, `,
      ),
      cells: sql.join([sql`${this.tenantId}`, ...set.map(([, value]) => sql`${value}`)], sql`, `),
    };
  }

  /**
   * `db.run(sql)` made usable in a batch: drizzle 0.45's D1 batch binds parameters through
   * the item's prepared `stmt`, which raw statements lack (the batch then throws on `.bind`).
   */
  private batchableRun(query: SQL): BatchItem<"sqlite"> {
    const raw = this.db.run(query);
    const client = (this.db as unknown as { $client: D1Database }).$client;
    return Object.assign(raw, { stmt: client.prepare(raw.getQuery().sql) });
  }

  /** This tenant's own row (name, settings). */
  async tenant() {
    return this.db.query.tenants.findFirst({ where: eq(tenants.id, this.tenantId) });
  }

  /** Updates this tenant's settings (record visibility and the like). */
  updateTenantSettingsQuery(settings: TenantSettings) {
    return this.db.update(tenants).set({ settings }).where(eq(tenants.id, this.tenantId));
  }

  /**
   * Statements that (re)index one record for full-text search (`searchIndexStatementCount`
   * of them); put them in the same batch as the write so the index never drifts from the data.
   */
  indexForSearchQueries(recordType: RecordType, recordId: string, text: string): BatchItem<"sqlite">[] {
    const scope = `${searchScopeToken(this.tenantId)} ${searchScopeToken(this.tenantId, recordType)}`;
    const rowid = sql`(select ${searchDocuments.rowid} from ${searchDocuments} where ${searchDocuments.tenantId} = ${this.tenantId} and ${searchDocuments.recordId} = ${recordId})`;
    const record = recordTables[recordType];
    const space = this.searchSpaceId(recordType);
    const createdAt = sql`(select ${record.createdAt} from ${record} where ${record.tenantId} = ${this.tenantId} and ${record.id} = ${recordId})`;
    return [
      this.db
        .insert(searchSpaces)
        .values({ tenantId: this.tenantId, recordType })
        .onConflictDoNothing({ target: [searchSpaces.tenantId, searchSpaces.recordType] }),
      this.db
        .insert(searchDocuments)
        .values({
          // The next in the space's range; kept when the record is indexed again (the upsert).
          rowid: sql`(select coalesce(max(${searchDocuments.rowid}), ${space} << 32) + 1 from ${searchDocuments} where ${this.inSearchSpace(searchDocuments.rowid, recordType)})`,
          tenantId: this.tenantId,
          recordType,
          recordId,
          // From the record's row, written earlier in the same batch.
          createdAt,
          outOfOrder: sql`${createdAt} is null or ${createdAt} < 0 or coalesce((${createdAt}, ${recordId}) <= ${this.latestCreated(recordType)}, 0)`,
        })
        .onConflictDoUpdate({
          target: [searchDocuments.tenantId, searchDocuments.recordId],
          // The entry keeps its rowid: a created_at that changes puts it out of order.
          set: {
            createdAt: sql`excluded.created_at`,
            outOfOrder: sql`${searchDocuments.outOfOrder} or ${searchDocuments.createdAt} is not excluded.created_at`,
          },
        }),
      this.batchableRun(sql`delete from search_index where rowid = ${rowid}`),
      this.batchableRun(sql`insert into search_index(rowid, scope, body) values (${rowid}, ${scope}, ${text})`),
    ];
  }

  /**
   * Many rows of one table in one statement per ~600 KB: the rows travel as a single JSON
   * parameter read back with jsonb_each, so D1's limit of 100 bound parameters does not cut
   * them into statements of three rows (bulk writes: a 1,000-row import chunk). Values are
   * mapped as drizzle maps them (dates to epoch ms) and column defaults are applied as an
   * insert through drizzle would. jsonb_each parses the parameter once; json_each with
   * json_extract re-parsed every row for every column (1.5-3x slower here). The tenant id is
   * bound once per statement, not repeated in every row's cells.
   */
  insertJsonQueries<T extends TenantTable>(
    table: T,
    values: NewRow<T>[],
    options: JsonInsertOptions = {},
  ): BatchItem<"sqlite">[] {
    const plan = jsonInsertPlan(table);
    const queries: BatchItem<"sqlite">[] = [];
    let part: string[] = [];
    let size = 0;
    const width = plan.columns.length;
    const { onConflictDoNothing = false, sharedCells = false } = options;
    const rows = values.map((value) => {
      const row = value as Record<string, unknown>;
      const cells = new Array<unknown>(width);
      for (let i = 0; i < width; i++) {
        const column = plan.columns[i]!;
        let cell = row[column.key];
        if (cell === undefined) cell = column.defaultFn ? column.defaultFn() : column.default;
        cells[i] =
          cell === null || cell === undefined ? null : column.mapped ? column.column.mapToDriverValue(cell) : cell;
      }
      return cells;
    });
    const shared = sharedCells && rows.length > 1 ? sharedColumns(rows, width) : [];
    // The rows' cells (the columns not shared) and, when some are, the shared ones' values.
    let head = sql`${plan.headBeforeTenant}${this.tenantId}${plan.headAfterTenant}`;
    let sharedJoin: SQL | null = null;
    if (shared.length > 0) {
      const isShared = new Array<boolean>(width).fill(false);
      for (const i of shared) isShared[i] = true;
      let rowAt = 0;
      let sharedAt = 0;
      const cells = plan.columns.map((column, i) =>
        isShared[i] ? jsonCell("shared.cells", sharedAt++, column.json) : jsonCell("value", rowAt++, column.json),
      );
      const { beforeTenant, afterTenant } = jsonInsertHead(plan.insertInto, cells, plan.tenantAt);
      head = sql`${beforeTenant}${this.tenantId}${afterTenant}`;
      // One row, so the rows' loop stays outside (CROSS JOIN) and the shared cells are read once.
      sharedJoin = sql` cross join (select jsonb(${JSON.stringify(shared.map((i) => rows[0]![i]))}) as cells) shared`;
      for (const cells of rows) {
        let at = 0;
        for (let i = 0; i < width; i++) if (!isShared[i]) cells[at++] = cells[i];
        cells.length = rowAt;
      }
    }
    // `where true`: SQLite needs it to tell an upsert's ON from a join's after SELECT ... FROM.
    const tail = sql.join(
      [sharedJoin, onConflictDoNothing ? sql` where true on conflict do nothing` : null].filter(
        (part): part is SQL => part !== null,
      ),
    );
    const flush = () => {
      if (part.length === 0) return;
      queries.push(this.batchableRun(sql`${head}${`[${part.join(",")}]`})${tail}`));
      part = [];
      size = 0;
    };
    for (const cells of rows) {
      const encoded = JSON.stringify(cells);
      // D1 takes strings up to 2,000,000 bytes; 600,000 UTF-16 units stay below it even at 3 bytes each.
      if (size + encoded.length > 600_000) flush();
      part.push(encoded);
      size += encoded.length + 1;
    }
    flush();
    return queries;
  }

  /**
   * Indexes many records created in the same batch (fresh ids, so nothing to replace) for
   * full-text search in three statements: the tenant's search spaces, their search documents
   * (rowids in the space, the record's creation time copied), then their FTS rows joined to
   * those documents' rowids. A record that had a document already fails the batch on
   * the unique index rather than being indexed twice. CROSS JOIN keeps jsonb_each outside,
   * so each entry is one index lookup (a plain join scanned the tenant's documents per
   * entry: 0.6 s per 500 entries, growing).
   */
  indexManyForSearchQueries(
    entries: { recordType: RecordType; recordId: string; text: string }[],
  ): BatchItem<"sqlite">[] {
    if (entries.length === 0) return [];
    const documents = JSON.stringify(entries.map((e) => [e.recordType, e.recordId]));
    // The record types in order of first entry (as SELECT DISTINCT over the entries gave them).
    const recordTypes = JSON.stringify([...new Set(entries.map((e) => e.recordType))]);
    const texts = JSON.stringify(entries.map((e) => [e.recordId, e.text]));
    // indexForSearchQueries' scope, `<tenant token> <tenant token>x<record type>`, completed
    // in SQL with the document's record type: not sent once per entry.
    const scopeBeforeType = `${searchScopeToken(this.tenantId)} ${searchScopeToken(this.tenantId)}x`;
    const d = sql`d`;
    return [
      // `where true`: SQLite needs it to tell an upsert's ON from a join's after SELECT ... FROM.
      this.batchableRun(
        sql`insert into ${searchSpaces} (tenant_id, record_type) select ${this.tenantId}, value from jsonb_each(${recordTypes}) where true on conflict (tenant_id, record_type) do nothing`,
      ),
      // Rowids follow the space's highest (read before any row is inserted: the SELECT reads
      // the table it fills, so SQLite computes it first), numbered in entry order per space.
      // An entry is out of order when created no later than the space's latest entry or an
      // earlier entry of the same batch (creation keys: created_at, then record id, as text).
      this.batchableRun(
        sql`with entries as materialized (select s.id as space_id, j.key as entry, s.record_type, j.value ->> 1 as record_id,
              ${this.recordCreatedAt(sql`s.record_type`, sql`j.value ->> 1`)} as created_at,
              coalesce((select max(d.rowid) from ${searchDocuments} ${d} where d.rowid between s.id << 32 and (s.id << 32) + ${spaceLast}), s.id << 32) as space_rowid,
              (select ${creationKey(sql`d.created_at`, sql`d.record_id`)} from ${searchDocuments} ${d}
                where d.tenant_id = ${this.tenantId} and d.record_type = s.record_type order by d.created_at desc, d.record_id desc limit 1) as latest
            from jsonb_each(${documents}) j join ${searchSpaces} s on s.tenant_id = ${this.tenantId} and s.record_type = j.value ->> 0),
          keyed as (select *, ${creationKey(sql`created_at`, sql`record_id`)} as creation_key from entries)
          insert into ${searchDocuments} (rowid, tenant_id, record_type, record_id, created_at, out_of_order)
          select space_rowid + row_number() over (partition by space_id order by entry), ${this.tenantId}, record_type, record_id, created_at,
            created_at is null or created_at < 0 or coalesce(creation_key <= latest, 0)
              or coalesce(creation_key <= max(creation_key) over (partition by space_id order by entry rows between unbounded preceding and 1 preceding), 0)
          from keyed`,
      ),
      this.batchableRun(
        sql`insert into search_index(rowid, scope, body) select d.rowid, ${scopeBeforeType} || d.record_type, j.value ->> 1 from jsonb_each(${texts}) j cross join ${searchDocuments} d on d.tenant_id = ${this.tenantId} and d.record_id = j.value ->> 0`,
      ),
    ];
  }

  /** This tenant's search space id for a record type (searchSpaces); NULL before its first entry. */
  private searchSpaceId(recordType: RecordType): SQL {
    return sql`(select ${searchSpaces.id} from ${searchSpaces} where ${searchSpaces.tenantId} = ${this.tenantId} and ${searchSpaces.recordType} = ${recordType})`;
  }

  /** `rowid` lies in this tenant's rowid range for the record type (never, before its first entry). */
  private inSearchSpace(rowid: SQL | SQLiteColumn, recordType: RecordType): SQL {
    const space = this.searchSpaceId(recordType);
    return sql`${rowid} between ${space} << 32 and (${space} << 32) + ${spaceLast}`;
  }

  /**
   * The (created_at, record_id) of the space's latest entry by creation, as a row value (NULL
   * when it has none): a new entry with a key no greater is out of order.
   */
  private latestCreated(recordType: RecordType): SQL {
    const d = searchDocuments;
    return sql`(select ${d.createdAt}, ${d.recordId} from ${d} where ${d.tenantId} = ${this.tenantId} and ${d.recordType} = ${recordType} order by ${d.createdAt} desc, ${d.recordId} desc limit 1)`;
  }

  /** The created_at of the record of type `type` and id `id` (SQL expressions), from its own table. */
  private recordCreatedAt(type: SQL, id: SQL): SQL {
    const cases = Object.entries(recordTables).map(
      ([name, record]) =>
        sql`when ${name} then (select ${record.createdAt} from ${record} where ${record.tenantId} = ${this.tenantId} and ${record.id} = ${id})`,
    );
    return sql`(case ${type} ${sql.join(cases, sql` `)} end)`;
  }

  /** Statements that drop a record from the search index. */
  unindexForSearchQueries(recordId: string): BatchItem<"sqlite">[] {
    const rowid = sql`(select ${searchDocuments.rowid} from ${searchDocuments} where ${searchDocuments.tenantId} = ${this.tenantId} and ${searchDocuments.recordId} = ${recordId})`;
    return [
      this.batchableRun(sql`delete from search_index where rowid = ${rowid}`),
      this.db
        .delete(searchDocuments)
        .where(and(eq(searchDocuments.tenantId, this.tenantId), eq(searchDocuments.recordId, recordId))),
    ];
  }

  /**
   * Drops many records from the search index with two statements per 90 ids (D1 binds at
   * most 100 parameters per statement), for bulk deletes.
   */
  unindexManyForSearchQueries(recordIds: string[]): BatchItem<"sqlite">[] {
    const queries: BatchItem<"sqlite">[] = [];
    for (let i = 0; i < recordIds.length; i += 90) {
      const ids = recordIds.slice(i, i + 90);
      const mine = and(eq(searchDocuments.tenantId, this.tenantId), inArray(searchDocuments.recordId, ids));
      queries.push(
        this.batchableRun(
          sql`delete from search_index where rowid in (select ${searchDocuments.rowid} from ${searchDocuments} where ${mine})`,
        ),
        this.db.delete(searchDocuments).where(mine),
      );
    }
    return queries;
  }

  /** The full-text filter of a list (see SearchFilter), or null when q has no searchable words. */
  searchFilter(recordType: RecordType, idColumn: SQLiteColumn, q: string): SearchFilter | null {
    const match = this.searchMatch(q);
    return match
      ? {
          condition: sql`${idColumn} in (select d.record_id from search_matches m join ${searchDocuments} d on d.rowid = m.rowid)`,
          match,
          recordType,
        }
      : null;
  }

  /**
   * The FTS5 query for q; null when q has no words. The tenant and record type are not in
   * it: the search's rowid range (inSearchSpace) confines it, which FTS5 seeks to, where
   * ANDing the scope token read that token's whole doclist (one entry per record of the
   * tenant and type: ~8 M instructions for a one-match search among 100,000 contacts).
   */
  private searchMatch(q: string): string | null {
    const terms = ftsTerms(q);
    return terms ? `body:(${terms})` : null;
  }

  /** Several statements in one D1 batch: all or nothing. Build them with the *Query methods. */
  async batch(queries: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]) {
    return this.db.batch(queries);
  }
}

type RowMapper = (values: unknown[]) => Record<string, unknown>;
const rowMappers = new WeakMap<SQLiteTable, RowMapper>();

/**
 * Maps a row of `table` read with raw SQL as values in its column order (qualifiedColumnList,
 * selectQuery) as drizzle's select maps it: JSON parsed, timestamps as Date, booleans.
 * Values rather than objects: D1 sends rows as arrays, and building an object per row to
 * read it back by name was work for nothing.
 */
function rowMapper(table: SQLiteTable): RowMapper {
  let mapper = rowMappers.get(table);
  if (!mapper) {
    const columns = Object.entries(getTableColumns(table));
    const keys = columns.map(([key]) => key);
    const decoders = columns.map(([, column]) => column);
    mapper = (values) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const value = values[i];
        row[keys[i]!] = value === null || value === undefined ? null : decoders[i]!.mapFromDriverValue(value);
      }
      return row;
    };
    rowMappers.set(table, mapper);
  }
  return mapper;
}

/**
 * (created_at, record_id) as one text that sorts as the pair does for created_at >= 0 (the
 * bulk insert compares an entry with the ones before it in the batch by window max).
 */
const creationKey = (createdAt: SQL, recordId: SQL) => sql`printf('%020d', ${createdAt}) || ${recordId}`;

/** A `text(…, { mode: "json" })` column. */
const jsonColumn = (column: SQLiteColumn) => column.columnType === "SQLiteTextJson";

/** How insertJsonQueries writes a table's rows: worked out once per table, not per row and column. */
interface JsonInsertPlan {
  /**
   * `insert into t (columns) select <cells> from jsonb_each(` around the tenant id's cell (a
   * bound parameter): the tenant id, then headAfterTenant, the JSON parameter and `)` follow.
   */
  headBeforeTenant: SQL;
  headAfterTenant: SQL;
  /** `insert into t (columns) select `, for cells written per call (shared cells). */
  insertInto: SQL;
  /** Where the tenant id's cell goes among the other columns' cells. */
  tenantAt: number;
  /** The columns a row's JSON cells hold, in their order: every column but tenant_id. */
  columns: {
    key: string;
    column: SQLiteColumn;
    defaultFn: (() => unknown) | undefined;
    default: unknown;
    /** Whether drizzle maps the value for the driver (dates, booleans); a JSON column's value travels as JSON. */
    mapped: boolean;
    json: boolean;
  }[];
}

const jsonInsertPlans = new WeakMap<SQLiteTable, JsonInsertPlan>();

/** The columns whose cell is the same text, number, boolean or null in every row. */
function sharedColumns(rows: unknown[][], width: number): number[] {
  const shared: number[] = [];
  const first = rows[0]!;
  for (let i = 0; i < width; i++) {
    const cell = first[i];
    if (cell !== null && typeof cell === "object") continue;
    let same = true;
    for (let r = 1; r < rows.length && same; r++) same = rows[r]![i] === cell;
    if (same) shared.push(i);
  }
  return shared;
}
/**
 * How an insert reads a column's cell at `index` of a JSON array. A JSON column's value
 * travels as JSON inside the row (not as a string of JSON in it, escaped twice over) and is
 * stored as SQLite renders it; JSON null is SQL NULL.
 */
function jsonCell(array: string, index: number, json: boolean): string {
  return json ? `nullif(${array} -> ${index}, 'null')` : `${array} ->> ${index}`;
}

/** `insert into t (columns) select <cells> from jsonb_each(`, split where the tenant id's cell goes. */
function jsonInsertHead(insertInto: SQL, cells: string[], tenantAt: number) {
  return {
    beforeTenant: sql`${insertInto}${sql.raw(
      cells
        .slice(0, tenantAt)
        .map((cell) => `${cell}, `)
        .join(""),
    )}`,
    afterTenant: sql.raw(
      `${cells
        .slice(tenantAt)
        .map((cell) => `, ${cell}`)
        .join("")} from jsonb_each(`,
    ),
  };
}

function jsonInsertPlan(table: TenantTable): JsonInsertPlan {
  let plan = jsonInsertPlans.get(table);
  if (plan) return plan;
  const all = Object.entries(getTableColumnsByName(table));
  const names = sql.join(
    all.map(([, c]) => sql.identifier(c.name)),
    sql`, `,
  );
  const tenantAt = all.findIndex(([key]) => key === "tenantId");
  const entries = all.filter(([key]) => key !== "tenantId");
  const cells = entries.map(([, c], i) => jsonCell("value", i, jsonColumn(c)));
  const insertInto = sql`insert into ${sql.identifier(getTableConfig(table).name)} (${names}) select `;
  const { beforeTenant, afterTenant } = jsonInsertHead(insertInto, cells, tenantAt);
  plan = {
    headBeforeTenant: beforeTenant,
    headAfterTenant: afterTenant,
    insertInto,
    tenantAt,
    columns: entries.map(([key, column]) => ({
      key,
      column,
      defaultFn: column.defaultFn,
      default: column.hasDefault && !column.defaultFn ? column.default : null,
      mapped: !jsonColumn(column) && column.mapToDriverValue !== Column.prototype.mapToDriverValue,
      json: jsonColumn(column),
    })),
  };
  jsonInsertPlans.set(table, plan);
  return plan;
}

const columnsByName = new WeakMap<SQLiteTable, Record<string, SQLiteColumn>>();
const columnLists = new WeakMap<SQLiteTable, Map<string, SQL>>();

/**
 * `"table"."column", ...` for every column in getTableColumns' order (or for `keys`, the
 * columns' keys, in their order), as drizzle writes a column, made once per table and key
 * list: written into each statement as text, it is not turned into SQL again column by
 * column (a searched page's statement names them three times).
 */
function qualifiedColumnList(table: SQLiteTable, keys?: readonly string[]): SQL {
  let lists = columnLists.get(table);
  if (!lists) {
    lists = new Map();
    columnLists.set(table, lists);
  }
  const listKey = keys ? keys.join(",") : "";
  let list = lists.get(listKey);
  if (!list) {
    const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
    const tableName = quote(getTableConfig(table).name);
    const columns = getTableColumnsByName(table);
    const names = (keys ?? Object.keys(columns)).map((key) => {
      const column = columns[key];
      if (!column) throw new Error(`${getTableConfig(table).name} has no column ${key}`);
      return `${tableName}.${quote(column.name)}`;
    });
    list = sql.raw(names.join(", "));
    lists.set(listKey, list);
  }
  return list;
}

function getTableColumnsByName(table: SQLiteTable): Record<string, SQLiteColumn> {
  let columns = columnsByName.get(table);
  if (!columns) {
    columns = getTableColumns(table);
    columnsByName.set(table, columns);
  }
  return columns;
}

/**
 * FTS5 query from what a person typed: each word becomes a quoted prefix term, all required.
 * Quoting neutralises FTS syntax (AND, NEAR, column filters, stray quotes) in the input.
 */
export function ftsTerms(q: string): string | null {
  const words = q.normalize("NFKC").match(/[\p{L}\p{N}]+/gu);
  if (!words || words.length === 0) return null;
  return words
    .slice(0, 12)
    .map((w) => `"${w.toLowerCase()}"*`)
    .join(" ");
}

export function searchScopeToken(tenantId: string, recordType?: RecordType): string {
  const tenant = tenantId.replace(/[^a-zA-Z0-9]/g, "");
  return recordType ? `s${tenant}x${recordType}` : `s${tenant}`;
}

export function tenantDb(db: Database, tenantId: string): TenantDb {
  return new TenantDb(db, tenantId);
}
