export * from "./custom-fields";
export * from "./normalize";
