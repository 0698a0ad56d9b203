export * from "./definition";
export * from "./fields";
export * from "./conditions";
export * from "./triggers";
export * from "./tokens";
export * from "./timing";
export * from "./validate";
