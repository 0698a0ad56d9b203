export * from "./crypto";
export * from "./access-token";
export * from "./sessions";
export * from "./signup";
export * from "./login";
export * from "./password-reset";
export * from "./tenant-sessions";
