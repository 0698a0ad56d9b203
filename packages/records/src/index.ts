export * from "./custom-fields";
export * from "./normalize";
export * from "./csv-import";
