export { aiForecast, forecastMetrics, type ForecastMetric, type ForecastQuery, type ForecastResult } from "./forecast";
export { historyLimit, minimumHistory, type ForecastPeriod } from "./periods";
