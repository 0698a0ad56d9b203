import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { aiForecast, forecastMetrics, type ForecastMetric } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { ForecastQuerySchema, ForecastSchema } from "./schema";

const summaries: Record<ForecastMetric, string> = {
  revenue: "Revenue forecast: won deals' value per period, with the open pipeline weighted by learned stage win rates",
  "deal-closures": "Deal closures forecast: won deals per period, with the open pipeline's expected wins",
  "conversion-rate": "Lead conversion rate forecast per creation cohort",
  "contact-growth": "Contacts created per period, forecast, with the running total",
  "churn-rate": "Customer churn rate forecast (lifecycle moves out of customer)",
};

const operationIds: Record<ForecastMetric, string> = {
  revenue: "getRevenueForecast",
  "deal-closures": "getDealClosuresForecast",
  "conversion-rate": "getConversionRateForecast",
  "contact-growth": "getContactGrowthForecast",
  "churn-rate": "getChurnRateForecast",
};

/**
 * One path per metric (not `{metric}`): each is a fixed report of the caller's own tenant,
 * not a record another tenant could ask for; an unknown metric is a 404 like any unknown path.
 */
function forecastRoute(metric: ForecastMetric) {
  return createRoute({
    method: "get",
    path: `/api/v1/ai/forecasts/${metric}`,
    operationId: operationIds[metric],
    summary: summaries[metric],
    description:
      "History per whole period (the current one is partial and left out), the forecast from the current period on with 80% " +
      "and 95% intervals, the trend, anomalies on the history (robust z-score of the residuals, |z| > 3.5), the chosen model with " +
      "its rolling-origin backtest error, and why. With too little history (fewer than 6 months or 8 weeks) the answer is 200 " +
      "with `forecast: []` and an explanation of what is missing. Members whose role sees only their own records get forecasts over those.",
    tags: ["AI"],
    ...access({ scope: "ai:read" }),
    request: { query: ForecastQuerySchema },
    responses: {
      200: { description: "The forecast", content: { "application/json": { schema: ForecastSchema } } },
      ...openApiErrorResponses(),
    },
  });
}

export function registerGetForecasts(app: App): void {
  for (const metric of forecastMetrics) {
    app.openapi(forecastRoute(metric), async (c) =>
      c.json(await aiForecast(tenantContext(c), metric, c.req.valid("query")), 200),
    );
  }
}
