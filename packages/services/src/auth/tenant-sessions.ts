import { type Database, newId, tenantDb } from "@crm/db";
import { ApiError } from "@crm/errors";
import { auditQuery } from "../audit";
import type { SystemContext } from "../context";
import { issueTokens, findMembership, type SessionTokens } from "./sessions";
import { createTenantForUser } from "./signup";

/**
 * A new session in another tenant the person belongs to. The current session stays open
 * (another tab may still use it). Not a member: 404, as for a tenant that does not exist.
 */
export async function switchTenant(
  db: Database,
  secret: string,
  input: { userId: string; tenantId: string },
): Promise<SessionTokens> {
  const membership = await findMembership(db, input.tenantId, input.userId);
  if (!membership) throw new ApiError("NOT_FOUND", `Tenant ${input.tenantId} was not found among yours`);
  return issueTokens(db, secret, { userId: input.userId, tenantId: input.tenantId, role: membership.role });
}

/**
 * An existing person founds another organization: tenant, owner membership and seeded
 * defaults land in one batch, then a session in it together with its first audit entry.
 */
export async function createOrganization(
  sys: SystemContext,
  secret: string,
  input: { userId: string; name: string },
): Promise<SessionTokens & { slug: string }> {
  const { tenantId, slug } = await createTenantForUser(sys.db, input.userId, input.name);
  const familyId = newId("refreshToken");
  const ctx = {
    tenant: { id: tenantId },
    actor: { type: "user" as const, id: input.userId, role: "owner" as const, sessionId: familyId },
    db: tenantDb(sys.db, tenantId),
    requestId: sys.requestId,
  };
  const audit = auditQuery(ctx, {
    action: "create",
    entity: "tenant",
    entityId: tenantId,
    after: { id: tenantId, name: input.name.trim(), slug },
  });
  const session = await issueTokens(sys.db, secret, { userId: input.userId, tenantId, role: "owner", familyId }, [
    audit,
  ]);
  return { ...session, slug };
}
