export * from "./schema";
export * from "./client";
export * from "./ids";
export * from "./tenant-db";
export * from "./bulk-write-db";
