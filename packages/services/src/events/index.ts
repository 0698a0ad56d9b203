export * from "./types";
export * from "./record";
