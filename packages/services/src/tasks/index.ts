export * from "./tasks";
export * from "./list";
export * from "./bulk";
