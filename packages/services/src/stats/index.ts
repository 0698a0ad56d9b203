export { leadStats } from "./leads";
export { pipelineStats, type PipelineStatsQuery } from "./pipeline";
export type { StatsRange } from "./range";
