import { z } from "@hono/zod-openapi";
import { leadStages } from "@crm/db";

const bound = (name: "from" | "to", description: string) =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })])
    .optional()
    .openapi({ param: { name, in: "query" }, example: name === "from" ? "2026-01-01" : "2026-03-31", description });

export const RangeQuerySchema = z.object({
  from: bound("from", "Start of the period (inclusive): a date (UTC midnight) or a date-time"),
  to: bound("to", "End of the period: a date includes that whole day (UTC); a date-time is exclusive"),
});

const dayMs = 86_400_000;

/** `from`/`to` as instants: a plain date `to` covers its whole (UTC) day. */
export function rangeFrom(query: { from?: string | undefined; to?: string | undefined }) {
  const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);
  const at = (v: string) => new Date(isDate(v) ? `${v}T00:00:00Z` : v);
  return {
    from: query.from ? at(query.from) : undefined,
    to: query.to ? new Date(at(query.to).getTime() + (isDate(query.to) ? dayMs : 0)) : undefined,
  };
}

export const PipelineStatsQuerySchema = RangeQuerySchema.extend({
  pipelineId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ param: { name: "pipelineId", in: "query" }, description: "One pipeline (default: all of them)" }),
});

const money = z.number();

export const PipelineStatsSchema = z
  .object({
    pipelineId: z.string().nullable(),
    from: z.string().nullable(),
    to: z.string().nullable().openapi({ description: "Exclusive" }),
    byStage: z
      .array(
        z.object({
          pipelineId: z.string(),
          stageId: z.string(),
          name: z.string(),
          isWon: z.boolean(),
          isLost: z.boolean(),
          count: z.number().int(),
          value: money,
          weightedValue: money.openapi({ description: "Sum of value x probability / 100" }),
        }),
      )
      .openapi({ description: "Deals created in the period, by the stage they are in now; stages in board order" }),
    open: z
      .object({ count: z.number().int(), value: money })
      .openapi({ description: "Active deals created in the period" }),
    weightedForecast: money.openapi({
      description: "Sum of value x probability / 100 over the active deals created in the period",
    }),
    won: z
      .object({ count: z.number().int(), value: money })
      .openapi({ description: "Deals won in the period (by closedAt)" }),
    lost: z
      .object({ count: z.number().int(), value: money })
      .openapi({ description: "Deals lost in the period (by closedAt)" }),
    winRate: z
      .number()
      .nullable()
      .openapi({ description: "won / (won + lost) in the period; null when none closed", example: 0.75 }),
    averageCycleDays: z
      .number()
      .nullable()
      .openapi({ description: "Mean days from creation to close of the deals won in the period" }),
  })
  .openapi("PipelineStats");

export const LeadStatsSchema = z
  .object({
    from: z.string().nullable(),
    to: z.string().nullable().openapi({ description: "Exclusive" }),
    total: z.number().int().openapi({ description: "Leads created in the period" }),
    converted: z.number().int().openapi({ description: "Of those, how many were converted" }),
    byStage: z
      .array(z.object({ stage: z.enum(leadStages), count: z.number().int() }))
      .openapi({ description: "Every stage, in funnel order" }),
    bySource: z
      .array(z.object({ source: z.string().nullable(), count: z.number().int() }))
      .openapi({ description: "Most first; null: no source" }),
    byOwner: z
      .array(z.object({ ownerId: z.string().nullable(), count: z.number().int() }))
      .openapi({ description: "Most first; null: unassigned" }),
  })
  .openapi("LeadStats");
