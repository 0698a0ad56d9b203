export * from "./serialize";
export * from "./defaults";
export * from "./rules";
export * from "./pipelines";
export * from "./stages";
export * from "./board";
