export * from "./facts";
export * from "./next-best-action";
export * from "./recommendations";
