export * from "./invitations";
export * from "./accept";
