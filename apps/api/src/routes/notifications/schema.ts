import { z } from "@hono/zod-openapi";
import { PageQuerySchema } from "../../lib/pagination";

export const NotificationSchema = z
  .object({
    id: z.string().openapi({ example: "ntf_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    message: z.string().openapi({ example: "Acme: annual plan reached Negotiation" }),
    recordType: z.string().nullable(),
    recordId: z.string().nullable(),
    workflowId: z.string().nullable().openapi({ description: "The workflow whose notify action sent it" }),
    readAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Notification");

export const NotificationPageSchema = z
  .object({
    data: z.array(NotificationSchema),
    nextCursor: z.string().nullable(),
    unreadCount: z.number().int().openapi({ description: "All unread notifications, not only this page's" }),
  })
  .openapi("NotificationPage");

export const NotificationListQuerySchema = PageQuerySchema.extend({
  unread: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .openapi({ param: { name: "unread", in: "query" }, description: "true: unread ones only" }),
});

export const ReadAllResultSchema = z
  .object({ updated: z.number().int().openapi({ description: "How many were unread" }) })
  .openapi("NotificationsReadAll");
