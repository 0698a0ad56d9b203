export * from "./models";
export * from "./records";
export * from "./scores";
export * from "./settings";
export * from "./rescore";
export * from "./providers";
export * from "./outputs";
export * from "./content";
