import { z } from "@hono/zod-openapi";
import { EngineSchema, FactorSchema } from "../ai/schema";

export const ForecastQuerySchema = z.object({
  period: z
    .enum(["month", "week"])
    .default("month")
    .openapi({ param: { name: "period", in: "query" }, description: "Calendar months or ISO weeks (UTC)" }),
  horizon: z.coerce
    .number()
    .int()
    .min(1)
    .max(24)
    .default(6)
    .openapi({
      param: { name: "horizon", in: "query" },
      example: 6,
      description: "Periods to forecast, from the current one",
    }),
  pipelineId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({
      param: { name: "pipelineId", in: "query" },
      description: "Revenue and deal closures only: one pipeline (default: every pipeline)",
    }),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "An ISO 4217 code such as EUR")
    .optional()
    .openapi({
      param: { name: "currency", in: "query" },
      example: "EUR",
      description:
        "Revenue only: the currency counted (default: the one most won and open deals use; deals in others are left out)",
    }),
});

const PointSchema = z
  .object({
    label: z.string().openapi({ example: "2026-12" }),
    start: z.string().openapi({ example: "2026-12-01", description: "The period's first day (UTC)" }),
    value: z.number(),
    lower80: z.number(),
    upper80: z.number(),
    lower95: z.number(),
    upper95: z.number(),
  })
  .openapi("ForecastPoint");

const HistoryPointSchema = z
  .object({
    label: z.string().openapi({ example: "2026-06" }),
    start: z.string().openapi({ example: "2026-06-01" }),
    value: z.number(),
    numerator: z.number().nullable().openapi({ description: "Rates: the count over…" }),
    denominator: z.number().nullable().openapi({ description: "…this count" }),
    anomaly: z
      .object({ expected: z.number(), z: z.number().openapi({ description: "Robust z-score of the residual" }) })
      .nullable(),
  })
  .openapi("ForecastHistoryPoint");

export const ForecastSchema = z
  .object({
    metric: z.enum(["revenue", "deal-closures", "conversion-rate", "contact-growth", "churn-rate"]),
    period: z.enum(["month", "week"]),
    horizon: z.number().int(),
    pipelineId: z.string().nullable(),
    currency: z.string().nullable().openapi({ description: "Revenue: the currency of every amount" }),
    unit: z.enum(["currency", "count", "rate"]),
    history: z.array(HistoryPointSchema).openapi({ description: "Whole periods before the current one" }),
    forecast: z.array(PointSchema).openapi({
      description: "Empty when the history is too short (the explanation says how much more is needed)",
    }),
    trend: z
      .object({
        direction: z.enum(["up", "down", "flat"]),
        slopePerPeriod: z.number(),
        relativeChange: z.number(),
      })
      .nullable(),
    anomalies: z.array(z.object({ label: z.string(), value: z.number(), expected: z.number(), z: z.number() })),
    model: z
      .object({
        name: z.string().openapi({ example: "theta" }),
        members: z.array(z.object({ name: z.string(), weight: z.number(), params: z.record(z.string(), z.number()) })),
        backtest: z
          .object({
            meanAbsoluteError: z.number(),
            origins: z.number().int(),
            horizon: z.number().int(),
            candidates: z.array(z.object({ candidate: z.string(), meanAbsoluteError: z.number() })),
          })
          .nullable()
          .openapi({ description: "Rolling-origin error inside the history (null when too short to compare models)" }),
      })
      .nullable(),
    pipeline: z
      .object({
        openDeals: z.number().int(),
        openValue: z.number(),
        pausedDeals: z.number().int(),
        overdueOrUndatedDeals: z.number().int(),
        beyondHorizon: z.object({ deals: z.number().int(), value: z.number() }),
        otherCurrencyDeals: z.number().int(),
        stageWinRates: z.array(
          z.object({
            pipelineId: z.string(),
            stageId: z.string(),
            name: z.string(),
            closedDeals: z.number().int(),
            wonDeals: z.number().int(),
            configuredProbability: z.number(),
            winRate: z.number(),
          }),
        ),
        periods: z.array(PointSchema),
      })
      .nullable()
      .openapi({ description: "Revenue and deal closures: the open deals weighted by learned stage win rates" }),
    projectedTotals: z
      .array(PointSchema)
      .nullable()
      .openapi({ description: "Contact growth: the running total at the end of each forecast period" }),
    explanation: z.string(),
    factors: z.array(FactorSchema),
    engine: EngineSchema,
  })
  .openapi("Forecast");
