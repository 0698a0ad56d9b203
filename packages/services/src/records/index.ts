export * from "./custom-fields";
export * from "./tags";
export * from "./visibility";
