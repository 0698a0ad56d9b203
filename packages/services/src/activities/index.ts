export * from "./activities";
