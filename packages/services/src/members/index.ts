export * from "./members";
