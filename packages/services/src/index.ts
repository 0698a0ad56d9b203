export * from "./access";
export * from "./context";
export * from "./audit";
export * from "./auth";
export * from "./api-keys";
export * from "./mail/transport";
