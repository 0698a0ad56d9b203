import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Database = DrizzleD1Database<typeof schema>;

/**
 * One drizzle instance per D1 binding: drizzle() walks the whole schema to build its relational
 * config (about a third of a point read's CPU when it ran on every request; bench/README.md,
 * "Contact lists and search"). The instance holds no data or request state, only the binding.
 */
const databases = new WeakMap<D1Database, Database>();

export function createDb(d1: D1Database): Database {
  let db = databases.get(d1);
  if (!db) {
    db = drizzle(d1, { schema });
    databases.set(d1, db);
  }
  return db;
}
