export * from "./decisions";
export * from "./gather";
export * from "./run";
export * from "./send-follow-up";
export * from "./stuck";
export * from "./schedule";
