import { and, eq, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteColumn, SQLiteTable, SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import type { Database } from "./client";

/** A table whose rows belong to one tenant. */
export type TenantTable = SQLiteTable & { tenantId: SQLiteColumn };

type Row<T extends TenantTable> = T["$inferSelect"];
type NewRow<T extends TenantTable> = Omit<T["$inferInsert"], "tenantId">;

export interface FindOptions {
  where?: SQL | undefined;
  orderBy?: SQL | SQL[] | SQLiteColumn | SQLiteColumn[];
  limit?: number;
}

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

  /** The tenant predicate, ANDed with an optional condition; for use inside this class's builders. */
  scope<T extends TenantTable>(table: T, condition?: SQL): SQL {
    const own = eq(table.tenantId, this.tenantId);
    return condition ? (and(own, condition) as SQL) : own;
  }

  async findMany<T extends TenantTable>(table: T, options: FindOptions = {}): Promise<Row<T>[]> {
    let query = this.db
      .select()
      .from(table as SQLiteTable)
      .where(this.scope(table, options.where))
      .$dynamic();
    if (options.orderBy) {
      const order = Array.isArray(options.orderBy) ? options.orderBy : [options.orderBy];
      query = query.orderBy(...order);
    }
    if (options.limit !== undefined) query = query.limit(options.limit);
    return (await query) as Row<T>[];
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

  updateQuery<T extends TenantTable>(table: T, set: Omit<SQLiteUpdateSetSource<T>, "tenantId">, where: SQL) {
    return this.db
      .update(table)
      .set(set as SQLiteUpdateSetSource<T>)
      .where(this.scope(table, where));
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

  /** Several statements in one D1 batch: all or nothing. Build them with the *Query methods. */
  async batch(queries: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]) {
    return this.db.batch(queries);
  }
}

export function tenantDb(db: Database, tenantId: string): TenantDb {
  return new TenantDb(db, tenantId);
}
