import { invitations, memberships, newId, tenantDb, users } from "@crm/db";
import { ApiError, validationFailed, type FieldError } from "@crm/errors";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { auditQuery } from "../audit";
import { batchGuard, isGuardFailure, isUniqueViolation } from "../batch-guard";
import type { SystemContext, TenantContext } from "../context";
import { hashPassword, sha256Hex, verifyPassword } from "../auth/crypto";
import { findMembership, findUserByEmail, issueTokens, type SessionTokens } from "../auth/sessions";
import { invitationStatus, publicInvitation } from "./invitations";

export const minPasswordLength = 10;

export interface AcceptInvitationInput {
  token: string;
  name?: string | undefined;
  password?: string | undefined;
}

const goneDetail = {
  accepted: "This invitation was already accepted",
  revoked: "This invitation was revoked",
  expired: "This invitation has expired; ask for a new one",
} as const;

/**
 * Accepts an invitation with only its token in hand. An address that already has an
 * account proves it with that account's password and gains a membership; a new address
 * becomes a user with the given name and password. Either way the person gets a session
 * in the invited tenant. User, membership, the invitation's acceptance, both audit entries
 * and the session land in one batch, which a concurrent accept of the same link rolls back.
 */
export async function acceptInvitation(
  sys: SystemContext,
  secret: string,
  input: AcceptInvitationInput,
): Promise<SessionTokens & { userId: string }> {
  const { db } = sys;
  const invitation = await db.query.invitations.findFirst({
    where: eq(invitations.tokenHash, await sha256Hex(input.token)),
  });
  if (!invitation) throw new ApiError("NOT_FOUND", "This invitation link is not valid");
  const status = invitationStatus(invitation);
  if (status !== "pending") throw new ApiError("GONE", goneDetail[status]);

  const existing = await findUserByEmail(db, invitation.email);
  const statements: BatchItem<"sqlite">[] = [];
  let userId: string;
  if (existing) {
    if (!input.password) {
      throw validationFailed(
        [{ path: "body.password", message: "This email already has an account: enter its password" }],
        "Confirm the invitation with the password of the existing account",
      );
    }
    if (!(await verifyPassword(input.password, existing.passwordHash))) {
      throw new ApiError("UNAUTHORIZED", "The password does not match the account of this email");
    }
    if (await findMembership(db, invitation.tenantId, existing.id)) {
      throw new ApiError("CONFLICT", "You are already a member of this organization");
    }
    userId = existing.id;
  } else {
    const errors: FieldError[] = [];
    if (!input.name?.trim()) errors.push({ path: "body.name", message: "Required to create your account" });
    if (!input.password) errors.push({ path: "body.password", message: "Required to create your account" });
    else if (input.password.length < minPasswordLength) {
      errors.push({ path: "body.password", message: `Must be at least ${minPasswordLength} characters` });
    }
    if (errors.length > 0) throw validationFailed(errors, "Choose a name and password for your new account");
    userId = newId("user");
    statements.push(
      db.insert(users).values({
        id: userId,
        email: invitation.email,
        name: input.name!.trim(),
        passwordHash: await hashPassword(input.password!),
      }),
    );
  }

  const now = new Date();
  const familyId = newId("refreshToken");
  const ctx: TenantContext = {
    tenant: { id: invitation.tenantId },
    actor: { type: "user", id: userId, role: invitation.role, sessionId: familyId },
    db: tenantDb(db, invitation.tenantId),
    requestId: sys.requestId,
  };
  const accepted = { ...invitation, acceptedAt: now };
  statements.unshift(
    // Still pending when the batch runs: the second of two racing accepts rolls back.
    batchGuard(
      db,
      invitations.email,
      eq(invitations.id, invitation.id),
      and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now))!,
    ),
  );
  statements.push(
    ctx.db.insertQuery(memberships, { userId, role: invitation.role, createdAt: now }),
    ctx.db.updateQuery(invitations, { acceptedAt: now }, eq(invitations.id, invitation.id)),
    auditQuery(ctx, {
      action: "update",
      entity: "invitation",
      entityId: invitation.id,
      before: publicInvitation(invitation),
      after: publicInvitation(accepted),
    }),
    auditQuery(ctx, {
      action: "create",
      entity: "membership",
      entityId: userId,
      after: { userId, email: invitation.email, role: invitation.role, invitationId: invitation.id },
    }),
  );
  try {
    const session = await issueTokens(
      db,
      secret,
      { userId, tenantId: invitation.tenantId, role: invitation.role, familyId },
      statements,
    );
    return { ...session, userId };
  } catch (error) {
    if (isGuardFailure(error, invitations.email))
      throw new ApiError("GONE", "This invitation was accepted or revoked meanwhile");
    if (isUniqueViolation(error))
      throw new ApiError("CONFLICT", "An account or membership for this email was created meanwhile; try again");
    throw error;
  }
}
