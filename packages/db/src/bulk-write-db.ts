import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "./client";
import type { RecordType } from "./schema/crm";
import { searchIndexStatementCount, TenantDb, type TenantTable } from "./tenant-db";

type Described =
  | { kind: "insert"; table: TenantTable; rows: Record<string, unknown>[] }
  | { kind: "search"; recordType: RecordType; recordId: string; text: string }
  | { kind: "searchPart" };

/**
 * A statement built only when something uses it: its builder runs on the first property
 * read (a batch preparing it, `.returning()`, awaiting it). Merged statements are never
 * built, and building drizzle statements for every row of a chunk was the chunk's largest cost.
 */
function lazyStatement<T extends object>(build: () => T): T {
  let built: T | undefined;
  const real = () => (built ??= build());
  return new Proxy({} as T, {
    get(_target, property) {
      const target = real();
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    has: (_target, property) => Reflect.has(real(), property),
    getPrototypeOf: () => Object.getPrototypeOf(real()) as object | null,
  });
}

/**
 * A TenantDb for bulk creates (import chunks). The services' own save queries are built
 * through it unchanged, and it remembers what each statement is; the statements of many
 * new records can then be merged: each table's inserts into one JSON insert and the search
 * entries into one indexing (a new record's save queries clear no tags: tagQueries with
 * `isNew`). 6,600 statements for 1,000 contacts become about ten, with the same rows written.
 * The statements it hands out are lazy: one that is merged is never built.
 */
export class BulkWriteDb extends TenantDb {
  private readonly described = new WeakMap<object, Described>();

  constructor(db: Database, tenantId: string) {
    super(db, tenantId);
  }

  override insertQuery<T extends TenantTable>(
    table: T,
    values: Omit<T["$inferInsert"], "tenantId"> | Omit<T["$inferInsert"], "tenantId">[],
  ) {
    const query = lazyStatement(() => super.insertQuery(table, values));
    const rows = (Array.isArray(values) ? values : [values]) as Record<string, unknown>[];
    this.described.set(query, { kind: "insert", table, rows });
    return query;
  }

  /** TenantDb's statements for one record's search entry, each built when first used. */
  override indexForSearchQueries(recordType: RecordType, recordId: string, text: string): BatchItem<"sqlite">[] {
    let built: BatchItem<"sqlite">[] | undefined;
    const real = () => {
      built ??= super.indexForSearchQueries(recordType, recordId, text);
      // The count is fixed up front (to stay lazy); a changed TenantDb must not lose a statement.
      if (built.length !== searchIndexStatementCount)
        throw new Error(`indexForSearchQueries returned ${built.length} statements, not ${searchIndexStatementCount}`);
      return built;
    };
    return Array.from({ length: searchIndexStatementCount }, (_, i) => {
      const query = lazyStatement(() => real()[i]!);
      this.described.set(query, i === 0 ? { kind: "search", recordType, recordId, text } : { kind: "searchPart" });
      return query;
    });
  }

  /** Whether these statements (one new record's) are all inserts and search entries. */
  mergeable(queries: BatchItem<"sqlite">[]): boolean {
    return queries.every((query) => this.described.has(query));
  }

  /**
   * The merged statements for several new records' mergeable statements: inserts per table
   * in the order the tables first appear (a record before its tags, history and audit
   * entry), then the search entries.
   */
  mergedCreates(records: BatchItem<"sqlite">[][]): BatchItem<"sqlite">[] {
    const inserts = new Map<TenantTable, Record<string, unknown>[]>();
    const search: { recordType: RecordType; recordId: string; text: string }[] = [];
    for (const query of records.flat()) {
      const what = this.described.get(query);
      if (what?.kind === "insert") {
        const rows = inserts.get(what.table) ?? [];
        rows.push(...what.rows);
        inserts.set(what.table, rows);
      } else if (what?.kind === "search") {
        search.push({ recordType: what.recordType, recordId: what.recordId, text: what.text });
      }
    }
    return [
      ...[...inserts].flatMap(([table, rows]) => this.insertJsonQueries(table, rows as never[])),
      ...this.indexManyForSearchQueries(search),
    ];
  }
}
