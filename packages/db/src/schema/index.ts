export * from "./identity";
export * from "./platform";
export * from "./crm";
export * from "./imports";
export * from "./webhooks";
export * from "./workflows";
export * from "./outreach";
export * from "./channels";
