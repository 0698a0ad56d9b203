// The built-in AI engine (no I/O). Each module re-exported here.
export * from "./engine";
export * from "./scoring";
