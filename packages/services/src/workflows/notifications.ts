import { notifications } from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, desc, eq, isNull, lt } from "drizzle-orm";
import type { TenantContext } from "../context";

type NotificationRow = typeof notifications.$inferSelect;

export function publicNotification(row: NotificationRow) {
  return {
    id: row.id,
    message: row.message,
    recordType: row.recordType,
    recordId: row.recordId,
    workflowId: row.workflowId,
    readAt: row.readAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Notifications are a person's own: API keys and other members never see them. */
function me(ctx: TenantContext): string {
  if (ctx.actor.type !== "user") throw new ApiError("FORBIDDEN", "Notifications belong to a signed-in person");
  return ctx.actor.id;
}

export async function listNotifications(
  ctx: TenantContext,
  filters: { limit: number; cursor?: string | undefined; unread?: boolean | undefined },
) {
  const userId = me(ctx);
  const mine = eq(notifications.userId, userId);
  const [rows, unread] = await Promise.all([
    ctx.db.findMany(notifications, {
      where: and(
        mine,
        filters.unread ? isNull(notifications.readAt) : undefined,
        filters.cursor ? lt(notifications.id, filters.cursor) : undefined,
      ),
      orderBy: desc(notifications.id),
      limit: filters.limit + 1,
    }),
    ctx.db.count(notifications, and(mine, isNull(notifications.readAt))!),
  ]);
  const page = rows.slice(0, filters.limit);
  return {
    data: page.map(publicNotification),
    nextCursor: rows.length > filters.limit ? (page.at(-1)?.id ?? null) : null,
    unreadCount: unread,
  };
}

export async function markNotificationRead(ctx: TenantContext, id: string) {
  const userId = me(ctx);
  const row = await ctx.db.findFirst(notifications, and(eq(notifications.id, id), eq(notifications.userId, userId))!);
  if (!row) throw new ApiError("NOT_FOUND", `Notification ${id} was not found`);
  if (row.readAt) return publicNotification(row);
  const [updated] = await ctx.db.update(notifications, { readAt: new Date() }, eq(notifications.id, id));
  return publicNotification(updated ?? row);
}

export async function markAllNotificationsRead(ctx: TenantContext) {
  const userId = me(ctx);
  const updated = await ctx.db.update(
    notifications,
    { readAt: new Date() },
    and(eq(notifications.userId, userId), isNull(notifications.readAt))!,
  );
  return { updated: updated.length };
}
