export * from "./url-policy";
export * from "./signing";
export * from "./schedule";
export * from "./subscriptions";
export * from "./dispatch";
export * from "./deliver";
export * from "./deliveries";
export * from "./sweep";
