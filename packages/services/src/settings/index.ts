export * from "./record-visibility";
