import type { Role } from "@crm/db";
import { jwtVerify, SignJWT } from "jose";

export const accessTokenTtlSeconds = 15 * 60;
const issuer = "crm";
const audience = "crm-api";

export interface AccessClaims {
  userId: string;
  tenantId: string;
  role: Role;
  /** The refresh-token family: logging out revokes it, and with it this access token. */
  sessionId: string;
}

function key(secret: string) {
  return new TextEncoder().encode(secret);
}

export async function signAccessToken(claims: AccessClaims, secret: string, now = Date.now()): Promise<string> {
  return new SignJWT({ tid: claims.tenantId, role: claims.role, sid: claims.sessionId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.userId)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + accessTokenTtlSeconds)
    .sign(key(secret));
}

/** Verifies signature (HS256 only: `alg: none` and others are refused), expiry, issuer, audience. */
export async function verifyAccessToken(token: string, secret: string): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ["HS256"], issuer, audience });
    if (typeof payload.sub !== "string" || typeof payload.tid !== "string" || typeof payload.sid !== "string") {
      return null;
    }
    return { userId: payload.sub, tenantId: payload.tid, role: payload.role as Role, sessionId: payload.sid };
  } catch {
    return null;
  }
}
