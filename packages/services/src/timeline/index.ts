export * from "./attachments";
export * from "./parent-record";
export * from "./timeline";
