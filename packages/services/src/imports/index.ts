export * from "./store";
export * from "./chunk";
export { type RowOutcome, rowPrefix } from "./planners";
