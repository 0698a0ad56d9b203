import { type Database, outboxMessages } from "@crm/db";
import { and, eq } from "drizzle-orm";
import { afterCursor, orderFor, pageFromRows, parseSort } from "../lists/cursor";

type OutboxRow = typeof outboxMessages.$inferSelect;

export function publicOutboxMessage(row: OutboxRow) {
  return {
    id: row.id,
    tenantId: row.tenantId,
    kind: row.kind,
    to: row.toAddress,
    subject: row.subject,
    text: row.text,
    html: row.html,
    transport: row.transport,
    createdAt: row.createdAt.toISOString(),
  };
}

const newestFirst = parseSort(
  undefined,
  { createdAt: { column: outboxMessages.createdAt, kind: "date" } },
  "-createdAt",
);

/**
 * What the dev transport "sent", newest first: the inbox of every address in development.
 * Not tenant-scoped (password-reset mail has no tenant); the route only answers in dev and test.
 */
export async function listOutbox(
  db: Database,
  page: { limit: number; cursor?: string | undefined; to?: string | undefined },
) {
  const to = page.to?.trim().toLowerCase();
  const where = and(
    to ? eq(outboxMessages.toAddress, to) : undefined,
    afterCursor(newestFirst, outboxMessages.id, page.cursor),
  );
  const rows = await db
    .select()
    .from(outboxMessages)
    .where(where)
    .orderBy(...orderFor(newestFirst, outboxMessages.id))
    .limit(page.limit + 1);
  const { rows: kept, nextCursor } = pageFromRows(rows, page.limit, newestFirst, (r) => r.createdAt);
  return { data: kept.map(publicOutboxMessage), nextCursor };
}
