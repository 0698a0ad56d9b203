// API key scopes, shared by the API (which checks them) and the dashboard (which offers them).

/** Resources that API key scopes name; each has `:read` and `:write`. */
export const scopeResources = [
  "contacts",
  "companies",
  "leads",
  "deals",
  "pipelines",
  "tasks",
  "notes",
  "activities",
  "custom_fields",
  "views",
  "stats",
  "members",
  "invitations",
  "audit_log",
  "webhooks",
  "imports",
  "workflows",
  "sequences",
  "campaigns",
  "outreach",
  "ai",
] as const;
export type ScopeResource = (typeof scopeResources)[number];
export type Scope = `${ScopeResource}:${"read" | "write"}`;
