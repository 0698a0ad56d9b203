export * from "./cursor";
