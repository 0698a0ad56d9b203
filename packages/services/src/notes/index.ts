export * from "./notes";
export * from "./search-text";
