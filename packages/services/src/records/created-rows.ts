import type { RecordType, TenantDb, TenantTable } from "@crm/db";
import type { BatchItem } from "drizzle-orm/batch";

/**
 * New records' rows gathered per table (and their search entries), written as one JSON
 * insert per table: a bulk create (an import chunk) hands its rows here as values instead
 * of building each record's statements and merging them afterwards. The rows are the ones
 * the record's save queries insert (see newContactRows), so what is stored is the same.
 */
export class CreatedRows {
  private tables = new Map<TenantTable, Record<string, unknown>[]>();
  private searchEntries: { recordType: RecordType; recordId: string; text: string }[] = [];
  private copies = new Map<string, { build: (entries: never[]) => BatchItem<"sqlite">[]; entries: unknown[] }>();

  add<T extends TenantTable>(table: T, row: Omit<T["$inferInsert"], "tenantId">): void {
    let rows = this.tables.get(table);
    if (!rows) {
      rows = [];
      this.tables.set(table, rows);
    }
    rows.push(row as Record<string, unknown>);
  }

  /** A record created with these rows, indexed for search after them (its created_at is read from its row). */
  addSearch(recordType: RecordType, recordId: string, text: string): void {
    this.searchEntries.push({ recordType, recordId, text });
  }

  /**
   * A row made in SQL from rows added here (an audit entry copied from its new record's row):
   * `build` turns all the entries of `kind` into statements, which run after every table's rows.
   */
  addCopy<E>(kind: string, build: (entries: E[]) => BatchItem<"sqlite">[], entry: E): void {
    let copy = this.copies.get(kind);
    if (!copy) {
      copy = { build: build as (entries: never[]) => BatchItem<"sqlite">[], entries: [] };
      this.copies.set(kind, copy);
    }
    copy.entries.push(entry);
  }

  get empty(): boolean {
    return this.tables.size === 0 && this.searchEntries.length === 0 && this.copies.size === 0;
  }

  /**
   * The statements for the rows added since the last call, which are then forgotten: each
   * table's rows in the order the tables were first added to (a record before its tags and
   * history), then the copies, then the search entries.
   */
  takeQueries(db: TenantDb): BatchItem<"sqlite">[] {
    const queries: BatchItem<"sqlite">[] = [];
    for (const [table, rows] of this.tables)
      queries.push(...db.insertJsonQueries(table, rows as never[], { sharedCells: true }));
    for (const { build, entries } of this.copies.values()) queries.push(...build(entries as never[]));
    queries.push(...db.indexManyForSearchQueries(this.searchEntries));
    this.tables = new Map();
    this.searchEntries = [];
    this.copies = new Map();
    return queries;
  }
}
