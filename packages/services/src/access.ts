import type { Role } from "@crm/db";
import { type Scope, scopeResources } from "@crm/records";

export { scopeResources, type Scope, type ScopeResource } from "@crm/records";

export const allScopes: Scope[] = scopeResources.flatMap((r) => [`${r}:read`, `${r}:write`] as Scope[]);

export function isScope(value: string): value is Scope {
  return (allScopes as string[]).includes(value);
}

const roleRank: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return roleRank[role] >= roleRank[minimum];
}

/** Who is acting: a person (through the dashboard or their token) or an API key. */
export type Actor =
  | { type: "user"; id: string; role: Role; sessionId: string }
  | { type: "api_key"; id: string; scopes: Scope[]; createdBy: string }
  | { type: "system"; id: string };

export function actorVia(actor: Actor): "ui" | "api" | "system" {
  return actor.type === "user" ? "ui" : actor.type === "api_key" ? "api" : "system";
}
