import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Database = DrizzleD1Database<typeof schema>;

// One drizzle instance per D1 binding: building one walks the whole schema's relations (every
// request, queue message and Cron tick made one: about a third of a point read's CPU). The
// instance holds no data or request state, only the binding, so sharing it changes nothing else.
const instances = new WeakMap<D1Database, Database>();

export function createDb(d1: D1Database): Database {
  let db = instances.get(d1);
  if (!db) {
    db = drizzle(d1, { schema });
    instances.set(d1, db);
  }
  return db;
}
