export * from "./providers";
export * from "./outputs";
export * from "./content";
