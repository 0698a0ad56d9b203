export * from "./codes";
export * from "./api-error";
export * from "./problem";
export * from "./openapi";
