// Pure outreach logic (no I/O). Each module re-exported here.
export * from "./reply-classification";
export * from "./link-rewrite";
