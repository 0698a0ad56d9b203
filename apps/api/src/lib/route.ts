import type { Role } from "@crm/db";
import { ApiError } from "@crm/errors";
import { roleAtLeast, type Scope } from "@crm/services";
import { createMiddleware } from "hono/factory";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";

/**
 * Who may call a route. `scope` is what an API key needs; `role` the least role a person
 * needs (default: viewer for `:read`, member for `:write`). `keys: false` keeps API keys
 * out (key management, session routes). Published in /openapi.json as `x-access`, which
 * the security-matrix test reads.
 */
export type Access = { public: true } | { scope?: Scope; role?: Role; keys?: boolean };

function minimumRole(access: Exclude<Access, { public: true }>): Role {
  if (access.role) return access.role;
  return access.scope?.endsWith(":write") ? "member" : "viewer";
}

export function requireAccess(access: Access) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if ("public" in access) return next();
    const principal = c.get("principal");
    if (!principal) throw new ApiError("UNAUTHORIZED", "Send `Authorization: Bearer <token or API key>`");
    const actor = principal.actor;
    if (actor.type === "api_key") {
      if (access.keys === false || !access.scope) {
        throw new ApiError("FORBIDDEN", "API keys cannot use this route; sign in as a person");
      }
      if (!actor.scopes.includes(access.scope)) {
        throw new ApiError("INSUFFICIENT_SCOPE", `This API key needs the \`${access.scope}\` scope`, {
          extensions: { requiredScope: access.scope },
        });
      }
    } else if (actor.type === "user") {
      const role = minimumRole(access);
      if (!roleAtLeast(actor.role, role)) {
        throw new ApiError("FORBIDDEN", `This needs the ${role} role or higher; you are ${actor.role}`);
      }
    }
    await next();
  });
}

/** Spread into createRoute({...}): security for the docs, the access check, and `x-access`. */
export function access(rule: Access) {
  const security: Record<string, string[]>[] =
    "public" in rule
      ? []
      : rule.keys === false || !rule.scope
        ? [{ bearerAuth: [] }]
        : [{ bearerAuth: [] }, { apiKey: [rule.scope] }];
  const published =
    "public" in rule
      ? { public: true }
      : { ...rule, role: minimumRole(rule), keys: rule.keys !== false && !!rule.scope };
  return {
    security,
    middleware: [requireAccess(rule)] as MiddlewareHandler<AppEnv>[],
    "x-access": published,
  };
}
