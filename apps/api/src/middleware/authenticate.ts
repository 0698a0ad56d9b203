import { createDb } from "@crm/db";
import { ApiError } from "@crm/errors";
import {
  apiKeyPrefix,
  defaultKeyRateLimit,
  findApiKeyBySecret,
  findMembership,
  isKeyUsable,
  isSessionRevoked,
  recordKeyUsage,
  verifyAccessToken,
} from "@crm/services";
import { createMiddleware } from "hono/factory";
import type { AppEnv, Principal } from "../env";
import { clientIp, ipAllowed } from "../lib/ip";

/** Requests per minute for a person's session (the dashboard). */
export const userRateLimit = 1200;

/**
 * Resolves `Authorization: Bearer …` to a principal. No header: the principal is null and
 * the route's access rule decides. A header that does not verify is always 401.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  c.set("principal", null);
  const header = c.req.header("authorization");
  if (!header) return next();
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new ApiError("UNAUTHORIZED", "Use `Authorization: Bearer <token or API key>`");
  const credential = match[1]!;
  const db = createDb(c.env.DB);
  let principal: Principal;
  if (credential.startsWith(apiKeyPrefix)) {
    const key = await findApiKeyBySecret(db, credential);
    if (!key || !isKeyUsable(key)) throw new ApiError("UNAUTHORIZED", "The API key is invalid, expired or revoked");
    if (key.ipAllowlist && key.ipAllowlist.length > 0 && !ipAllowed(clientIp(c.req.raw), key.ipAllowlist)) {
      throw new ApiError("IP_NOT_ALLOWED", "This API key cannot be used from this address");
    }
    principal = {
      tenantId: key.tenantId,
      actor: { type: "api_key", id: key.id, scopes: key.scopes as never, createdBy: key.createdBy },
      rateLimit: key.rateLimit ?? defaultKeyRateLimit,
      scopes: key.scopes as never,
    };
    recordKeyUsage(db, key.id, (p) => c.executionCtx.waitUntil(p));
  } else {
    const claims = await verifyAccessToken(credential, c.env.JWT_SECRET);
    if (!claims) throw new ApiError("UNAUTHORIZED", "The access token is invalid or expired");
    // The role comes from the membership, not the token: a changed role or a removed
    // member takes effect at once. Logout revokes the session and with it this token.
    const [membership, revoked] = await Promise.all([
      findMembership(db, claims.tenantId, claims.userId),
      isSessionRevoked(db, claims.sessionId),
    ]);
    if (!membership || revoked) throw new ApiError("UNAUTHORIZED", "The session has ended; log in again");
    principal = {
      tenantId: claims.tenantId,
      actor: { type: "user", id: claims.userId, role: membership.role, sessionId: claims.sessionId },
      rateLimit: userRateLimit,
    };
  }
  c.set("principal", principal);
  await next();
});
