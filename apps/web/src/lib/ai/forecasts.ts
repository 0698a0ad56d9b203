// Shapes of GET /api/v1/ai/forecasts/{metric} that the forecasts page reads, and how it prints them.
import { formatMoney, formatMoneyShort } from "$lib/pipeline/format";

export const forecastMetrics = [
  { value: "revenue", label: "Revenue" },
  { value: "deal-closures", label: "Deal closures" },
  { value: "conversion-rate", label: "Lead conversion rate" },
  { value: "contact-growth", label: "Contact growth" },
  { value: "churn-rate", label: "Customer churn rate" },
] as const;
export type ForecastMetric = (typeof forecastMetrics)[number]["value"];

export interface ForecastPoint {
  label: string;
  start: string;
  value: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

export interface ForecastHistoryPoint {
  label: string;
  start: string;
  value: number;
  numerator: number | null;
  denominator: number | null;
  anomaly: { expected: number; z: number } | null;
}

export interface Forecast {
  metric: ForecastMetric;
  period: "month" | "week";
  horizon: number;
  pipelineId: string | null;
  currency: string | null;
  unit: "currency" | "count" | "rate";
  history: ForecastHistoryPoint[];
  forecast: ForecastPoint[];
  trend: { direction: "up" | "down" | "flat"; slopePerPeriod: number; relativeChange: number } | null;
  anomalies: { label: string; value: number; expected: number; z: number }[];
  model: {
    name: string;
    members: { name: string; weight: number; params: Record<string, number> }[];
    backtest: { meanAbsoluteError: number; origins: number; horizon: number } | null;
  } | null;
  pipeline: { openDeals: number; openValue: number; periods: ForecastPoint[] } | null;
  projectedTotals: ForecastPoint[] | null;
  explanation: string;
  factors: { name: string; impact: number; value?: string | number | boolean | null }[];
  engine: { engine: string; model: string; version: string };
}

export const isMetric = (value: string | null): value is ForecastMetric =>
  forecastMetrics.some((m) => m.value === value);

/** A value in the forecast's own unit, as a person reads it. */
export function formatValue(value: number, forecast: Pick<Forecast, "unit" | "currency">, short = false): string {
  if (forecast.unit === "rate") return `${(value * 100).toFixed(1)}%`;
  if (forecast.unit === "currency") {
    const currency = forecast.currency ?? "USD";
    return short ? formatMoneyShort(value, currency) : formatMoney(Math.round(value), currency);
  }
  return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(1);
}
