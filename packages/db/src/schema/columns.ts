import { integer, text } from "drizzle-orm/sqlite-core";

/** Milliseconds since the epoch, surfaced as Date in TypeScript and ISO strings in JSON. */
export const timestamp = (name: string) => integer(name, { mode: "timestamp_ms" });

export const createdAt = () =>
  timestamp("created_at")
    .notNull()
    .$defaultFn(() => new Date());

export const updatedAt = () =>
  timestamp("updated_at")
    .notNull()
    .$defaultFn(() => new Date())
    .$onUpdateFn(() => new Date());

/** JSON stored as TEXT. */
export const json = <T>(name: string) => text(name, { mode: "json" }).$type<T>();

export const tenantIdColumn = () => text("tenant_id").notNull();
