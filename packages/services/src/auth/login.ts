import { type Database } from "@crm/db";
import { ApiError } from "@crm/errors";
import { dummyPasswordHash, verifyPassword } from "./crypto";
import { findUserByEmail, issueTokens, listUserTenants, type SessionTokens } from "./sessions";

/**
 * Checks the password (same cost for unknown accounts) and opens a session in the
 * requested tenant, or the person's first one. Throttling is the caller's job.
 */
export async function login(
  db: Database,
  secret: string,
  input: { email: string; password: string; tenantId?: string | undefined },
): Promise<SessionTokens & { userId: string }> {
  const user = await findUserByEmail(db, input.email);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !ok) throw new ApiError("UNAUTHORIZED", "The email or password is incorrect");
  const memberships = await listUserTenants(db, user.id);
  const chosen = input.tenantId ? memberships.find((m) => m.id === input.tenantId) : memberships[0];
  if (!chosen) {
    throw input.tenantId
      ? new ApiError("NOT_FOUND", `You are not a member of tenant ${input.tenantId}`)
      : new ApiError("FORBIDDEN", "This account belongs to no organization");
  }
  const tokens = await issueTokens(db, secret, { userId: user.id, tenantId: chosen.id, role: chosen.role });
  return { ...tokens, userId: user.id };
}
