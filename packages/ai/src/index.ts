// The built-in AI engine (no I/O). Each module re-exported here.
export * from "./engine";
export * from "./content";
export * from "./decide";
export * from "./text";
export * from "./forecast";
export * from "./scoring";
