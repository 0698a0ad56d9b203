import { env } from "$env/dynamic/private";
import type { SessionStore, SessionTokens } from "./session-cookie";

export type { SessionStore } from "./session-cookie";

export interface ApiInit {
  method?: string;
  /** Sent as the JSON body. */
  json?: unknown;
  /** Send no credentials (sign-in and sign-up must not carry an old session). */
  anonymous?: boolean;
  /**
   * A raw body streamed through as it arrives (a file upload), with its headers. It can be
   * read once, so a 401 is not retried after a refresh.
   */
  stream?: { body: ReadableStream<Uint8Array>; headers: Record<string, string> };
}

/** A fetch to the API by path (`/api/v1/me`), as the signed-in person unless `anonymous`. */
export type ApiFetch = (path: string, init?: ApiInit) => Promise<Response>;

type Upstream = (path: string, init: RequestInit) => Promise<Response>;

export const defaultApiUrl = "http://127.0.0.1:8787";

/**
 * How this server reaches the API: the `API` service binding when the deployment has one,
 * otherwise HTTP to API_URL. The browser's address goes along so the API's per-IP login and
 * sign-up throttles count people, not this server.
 */
export function apiUpstream(platform: App.Platform | undefined, clientAddress: string | null): Upstream {
  const binding = platform?.env?.API;
  const base = env.API_URL || defaultApiUrl;
  return (path, init) => {
    const headers = new Headers(init.headers);
    if (clientAddress) headers.set("cf-connecting-ip", clientAddress);
    if (binding) return binding.fetch(new Request(new URL(path, "https://api.internal"), { ...init, headers }));
    return fetch(new URL(path, base), { ...init, headers });
  };
}

/** Seconds left on a JWT, read from its `exp` claim without verifying it (the API verifies). */
function secondsLeft(jwt: string): number | null {
  const payload = jwt.split(".")[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(atob(payload.replaceAll("-", "+").replaceAll("_", "/")));
    const exp = (claims as { exp?: unknown }).exp;
    return typeof exp === "number" ? exp - Date.now() / 1000 : null;
  } catch {
    return null;
  }
}

const refreshGraceMs = 10_000;
const waitStepMs = 50;
const maxWaitMs = 5_000;

interface Rotation {
  at: number;
  state: "pending" | "done" | "failed";
  tokens: SessionTokens | null;
}

/**
 * Rotations in flight or just finished in this isolate, by the refresh token they spent. Two
 * requests carrying the same cookie (parallel tabs, a navigation racing a form) then share one
 * rotation instead of the second replaying a spent token, which the API treats as theft. Only
 * plain data is shared: workerd does not let one request await another request's promise.
 */
const rotations = new Map<string, Rotation>();

async function rotate(upstream: Upstream, refreshToken: string): Promise<SessionTokens | null> {
  const response = await upstream("/api/v1/auth/refresh", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ refreshToken }),
  });
  if (response.ok) return (await response.json()) as SessionTokens;
  if (response.status === 401 || response.status === 422) return null;
  throw new Error(`Refreshing the session failed with ${response.status}`);
}

async function sharedRotation(upstream: Upstream, refreshToken: string): Promise<SessionTokens | null> {
  const now = Date.now();
  for (const [token, entry] of rotations) if (now - entry.at > refreshGraceMs) rotations.delete(token);
  const existing = rotations.get(refreshToken);
  if (existing) {
    for (let waited = 0; existing.state === "pending" && waited < maxWaitMs; waited += waitStepMs) {
      await new Promise((resolve) => setTimeout(resolve, waitStepMs));
    }
    if (existing.state === "done") return existing.tokens;
    throw new Error("Refreshing the session failed in a parallel request");
  }
  const own: Rotation = { at: now, state: "pending", tokens: null };
  rotations.set(refreshToken, own);
  try {
    own.tokens = await rotate(upstream, refreshToken);
    own.state = "done";
    return own.tokens;
  } catch (error) {
    // The API could not be reached: the next request may try again with the same token.
    own.state = "failed";
    rotations.delete(refreshToken);
    throw error;
  }
}

/**
 * Adds the session's bearer token; refreshes it (rotating the cookie) when it is about to expire
 * or the API answers 401, then retries once. A refused refresh ends the session.
 */
export function createApiFetch(upstream: Upstream, session: SessionStore): ApiFetch {
  async function refreshed(tokens: SessionTokens): Promise<SessionTokens | null> {
    const next = await sharedRotation(upstream, tokens.refreshToken);
    if (next) session.start(next);
    else session.end();
    return next;
  }

  return async (path, init = {}) => {
    const send = (tokens: SessionTokens | null) => {
      const headers = new Headers({ accept: "application/json", ...init.stream?.headers });
      if (tokens) headers.set("authorization", `Bearer ${tokens.accessToken}`);
      if (init.stream) {
        // `duplex` lets Node's fetch (vite dev) send a stream; workerd ignores it.
        const streamed = { method: init.method ?? "POST", headers, body: init.stream.body, duplex: "half" };
        return upstream(path, streamed as RequestInit);
      }
      if (init.json !== undefined) headers.set("content-type", "application/json");
      const body = init.json === undefined ? undefined : JSON.stringify(init.json);
      return upstream(path, { method: init.method ?? "GET", headers, body });
    };
    let tokens = init.anonymous ? null : session.get();
    let didRefresh = false;
    const left = tokens ? secondsLeft(tokens.accessToken) : null;
    if (tokens && left !== null && left < 30) {
      tokens = await refreshed(tokens);
      didRefresh = true;
    }
    const response = await send(tokens);
    if (response.status !== 401 || !tokens || didRefresh || init.stream) return response;
    const next = await refreshed(tokens);
    return next ? send(next) : response;
  };
}
