export * from "./tokens";
export * from "./shared";
export * from "./events";
export * from "./inbound";
export * from "./suppressions";
export * from "./messages";
export * from "./postmark";
