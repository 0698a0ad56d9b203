import type { BatchItem } from "drizzle-orm/batch";
import type { SQL } from "drizzle-orm";
import type { Database } from "./client";
import { type RecordType, recordTags } from "./schema/crm";
import { TenantDb, type TenantTable } from "./tenant-db";

type Described =
  | { kind: "insert"; table: TenantTable; rows: Record<string, unknown>[] }
  | { kind: "untag" }
  | { kind: "search"; recordType: RecordType; recordId: string; text: string }
  | { kind: "searchPart" };

/**
 * A TenantDb for bulk creates (import chunks). The services' own save queries are built
 * through it unchanged, and it remembers what each statement is; the statements of many
 * new records can then be merged: each table's inserts into one JSON insert, the search
 * entries into one indexing, and the deletes that only clear a brand-new id's tags (no-ops)
 * dropped. 3,300 statements for 500 contacts become about ten, with the same rows written.
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
    const query = super.insertQuery(table, values);
    const rows = (Array.isArray(values) ? values : [values]) as Record<string, unknown>[];
    this.described.set(query, { kind: "insert", table, rows });
    return query;
  }

  override deleteQuery<T extends TenantTable>(table: T, where: SQL) {
    const query = super.deleteQuery(table, where);
    if ((table as TenantTable) === recordTags) this.described.set(query, { kind: "untag" });
    return query;
  }

  override indexForSearchQueries(recordType: RecordType, recordId: string, text: string): BatchItem<"sqlite">[] {
    const queries = super.indexForSearchQueries(recordType, recordId, text);
    queries.forEach((query, i) =>
      this.described.set(query, i === 0 ? { kind: "search", recordType, recordId, text } : { kind: "searchPart" }),
    );
    return queries;
  }

  /** Whether these statements (one new record's) are all inserts, tag clears and search entries. */
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
