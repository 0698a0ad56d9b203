export * from "./models";
export * from "./records";
export * from "./scores";
export * from "./settings";
export * from "./rescore";
