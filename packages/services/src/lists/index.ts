export * from "./cursor";
export * from "./contains";
