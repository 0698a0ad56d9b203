// Pure outreach logic (no I/O). Each module re-exported here.
export * from "./send-window";
export * from "./spacing";
export * from "./templates";
export * from "./variants";
export * from "./reply-classification";
export * from "./link-rewrite";
export * from "./html-body";
