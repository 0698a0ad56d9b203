import { type Database, newId, passwordResets, refreshTokens, users } from "@crm/db";
import { ApiError } from "@crm/errors";
import { and, eq, gt, isNull } from "drizzle-orm";
import { batchGuard, isGuardFailure } from "../batch-guard";
import type { OutgoingMail } from "../mail/transport";
import { hashPassword, randomToken, sha256Hex } from "./crypto";
import { findUserByEmail } from "./sessions";

export const passwordResetTtlMs = 60 * 60 * 1000;

/** `base` + `path` without a doubled slash, whatever APP_URL ends with. */
export function appLink(appUrl: string, path: string, token: string): string {
  return `${appUrl.replace(/\/+$/, "")}${path}?token=${encodeURIComponent(token)}`;
}

/**
 * Starts a reset: stores only the SHA-256 of a random token (the token itself travels in
 * the email) and returns the mail to send. Null when no account has this email; the caller
 * answers the same either way, so the endpoint does not reveal who has an account.
 */
export async function requestPasswordReset(
  db: Database,
  input: { email: string; appUrl: string },
): Promise<OutgoingMail | null> {
  const user = await findUserByEmail(db, input.email);
  if (!user) return null;
  const token = randomToken(32);
  const id = newId("passwordReset");
  await db.insert(passwordResets).values({
    id,
    userId: user.id,
    tokenHash: await sha256Hex(token),
    expiresAt: new Date(Date.now() + passwordResetTtlMs),
  });
  const link = appLink(input.appUrl, "/reset-password", token);
  return {
    tenantId: null,
    kind: "password_reset",
    to: user.email,
    subject: "Reset your password",
    text: [
      `Hello ${user.name},`,
      "",
      "Someone (hopefully you) asked to reset the password of your account. Choose a new one here:",
      link,
      "",
      "The link works once and expires in 1 hour. If you did not ask for this, ignore this email;",
      "your password stays as it is.",
    ].join("\n"),
    dedupeKey: `password-reset:${id}`,
  };
}

const gone = (why: string) => new ApiError("GONE", `This reset link ${why}; request a new one`);

/**
 * Sets the new password and uses up the token, in one batch that also retires the
 * person's other open reset links and revokes every session (all tenants): whoever knew
 * the old password is signed out.
 */
export async function confirmPasswordReset(
  db: Database,
  input: { token: string; password: string },
): Promise<{ userId: string }> {
  const reset = await db.query.passwordResets.findFirst({
    where: eq(passwordResets.tokenHash, await sha256Hex(input.token)),
  });
  if (!reset) throw new ApiError("NOT_FOUND", "This reset link is not valid");
  if (reset.usedAt) throw gone("was already used");
  if (reset.expiresAt.getTime() <= Date.now()) throw gone("has expired");

  const passwordHash = await hashPassword(input.password);
  const now = new Date();
  try {
    await db.batch([
      // Single use even when two confirmations race: the loser's batch rolls back.
      batchGuard(
        db,
        passwordResets.tokenHash,
        eq(passwordResets.id, reset.id),
        and(isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now))!,
      ),
      db
        .update(passwordResets)
        .set({ usedAt: now })
        .where(and(eq(passwordResets.userId, reset.userId), isNull(passwordResets.usedAt))),
      db.update(users).set({ passwordHash }).where(eq(users.id, reset.userId)),
      db
        .update(refreshTokens)
        .set({ revokedAt: now })
        .where(and(eq(refreshTokens.userId, reset.userId), isNull(refreshTokens.revokedAt))),
    ]);
  } catch (error) {
    if (isGuardFailure(error, passwordResets.tokenHash)) throw gone("was already used");
    throw error;
  }
  return { userId: reset.userId };
}
