import type { Cookies } from "@sveltejs/kit";

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
}

/** The signed-in session as the server sees it; the browser only holds an httpOnly cookie. */
export interface SessionStore {
  get(): SessionTokens | null;
  start(tokens: SessionTokens): void;
  end(): void;
}

export const sessionCookieName = "crm_session";
/** As long as the API's refresh token lives (30 days); the access token inside expires far sooner. */
const maxAgeSeconds = 30 * 24 * 60 * 60;
const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);

function parse(raw: string | undefined): SessionTokens | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== "object" || value === null) return null;
    const { accessToken, refreshToken } = value as Record<string, unknown>;
    if (typeof accessToken !== "string" || typeof refreshToken !== "string") return null;
    return { accessToken, refreshToken };
  } catch {
    return null;
  }
}

/**
 * The access and refresh token in one httpOnly, SameSite=Lax cookie, so a rotation replaces both
 * at once. Secure everywhere except plain-http loopback (local development).
 */
export function cookieSession(cookies: Cookies, url: URL): SessionStore {
  const options = {
    path: "/",
    httpOnly: true,
    sameSite: "lax" as const,
    secure: !(url.protocol === "http:" && loopbackHosts.has(url.hostname)),
  };
  let current = parse(cookies.get(sessionCookieName));
  return {
    get: () => current,
    start(tokens) {
      current = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
      cookies.set(sessionCookieName, JSON.stringify(current), { ...options, maxAge: maxAgeSeconds });
    },
    end() {
      if (current === null && cookies.get(sessionCookieName) === undefined) return;
      current = null;
      cookies.delete(sessionCookieName, options);
    },
  };
}
