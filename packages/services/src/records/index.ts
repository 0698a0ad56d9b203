export * from "./custom-fields";
export * from "./tags";
export * from "./visibility";
export * from "./list-filters";
export * from "./owners";
export * from "./bulk";
export * from "./insert-many";
