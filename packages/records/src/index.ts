export * from "./custom-fields";
export * from "./normalize";
export * from "./csv-import";
export * from "./scopes";
export * from "./event-types";
