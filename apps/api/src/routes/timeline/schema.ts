import { z } from "@hono/zod-openapi";
import { timelineItemTypes } from "@crm/services";
import { PageQuerySchema, pageOf } from "../../lib/pagination";

export const TimelineItemSchema = z
  .object({
    id: z.string().openapi({ example: "note_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    type: z.enum(timelineItemTypes),
    occurredAt: z.string().openapi({ example: "2026-11-02T10:15:00.000Z" }),
    actorId: z.string().nullable().openapi({ description: "The user or API key behind it; null when not recorded" }),
    summary: z.string().openapi({ example: "Call: Discovery call" }),
    data: z
      .record(z.string(), z.unknown())
      .openapi({ description: "The item's details; their shape depends on `type`" }),
  })
  .openapi("TimelineItem");

export const TimelinePageSchema = pageOf(TimelineItemSchema, "TimelinePage");

const ItemType = z.enum(timelineItemTypes);

export const TimelineQuerySchema = PageQuerySchema.extend({
  types: z
    .union([ItemType, z.array(ItemType).max(timelineItemTypes.length)])
    .optional()
    .openapi({ param: { name: "types", in: "query" }, description: "Only these item types; repeat for several" }),
});
