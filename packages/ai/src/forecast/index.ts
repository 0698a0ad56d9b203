// Forecasts: time-series models, the product's forecaster, and forecasts from CRM rows.
export { nelderMead, type Minimum, type MinimizeOptions } from "./optimize";
export {
  fitModel,
  hasSeasonality,
  minimumLength,
  modelDescriptions,
  modelNames,
  seasonalIndices,
  type FittedModel,
  type ModelName,
} from "./models";
export {
  FORECAST_MODEL_VERSION,
  findAnomalies,
  forecastSeries,
  forecastWithModel,
  trendOf,
  type Anomaly,
  type ForecastPoint,
  type SeriesForecast,
  type SeriesForecastOptions,
  type Trend,
  type ValidationScore,
} from "./forecaster";
export {
  addPeriods,
  periodLabel,
  periodStart,
  periodsBetween,
  seasonLengths,
  type DateInput,
  type PeriodUnit,
} from "./periods";
export {
  forecastChurnRate,
  forecastContactGrowth,
  forecastConversionRate,
  forecastPipeline,
  learnStageWinRates,
  stagesReached,
  type DealRow,
  type GrowthForecast,
  type PipelineForecast,
  type PipelineForecastOptions,
  type PipelinePeriod,
  type PipelineStageRow,
  type RateForecast,
  type RateSeriesOptions,
  type StageWinRate,
} from "./pipeline";
export { mape, meanAbsoluteError, median, medianAbsoluteDeviation } from "./stats";
