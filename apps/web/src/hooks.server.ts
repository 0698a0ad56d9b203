import { error, type Handle, type RequestEvent } from "@sveltejs/kit";
import { apiUpstream, createApiFetch, type ApiFetch } from "$lib/server/api";
import { cookieSession, type SessionStore } from "$lib/server/session-cookie";
import type { Me } from "$lib/types";

function clientAddress(event: RequestEvent): string | null {
  try {
    return event.getClientAddress();
  } catch {
    return null;
  }
}

/** The signed-in person, or null when the session is over (its cookie is then cleared). */
async function loadMe(api: ApiFetch, session: SessionStore): Promise<Me | null> {
  let response: Response;
  try {
    response = await api("/api/v1/me");
  } catch {
    error(503, "The CRM service cannot be reached right now; try again in a moment.");
  }
  if (response.ok) return (await response.json()) as Me;
  if (response.status === 401) {
    session.end();
    return null;
  }
  const problem = (await response.json().catch(() => null)) as { detail?: string } | null;
  error(
    response.status >= 500 ? 503 : response.status,
    problem?.detail ?? "The CRM service could not load your profile.",
  );
}

export const handle: Handle = async ({ event, resolve }) => {
  const session = cookieSession(event.cookies, event.url);
  event.locals.session = session;
  event.locals.api = createApiFetch(apiUpstream(event.platform, clientAddress(event)), session);
  // Signing out must work even when the API is down, so it does not wait for the profile.
  const needsMe = session.get() !== null && event.url.pathname !== "/logout";
  event.locals.me = needsMe ? await loadMe(event.locals.api, session) : null;

  const response = await resolve(event);
  // Pages show one person's data: keep them out of shared caches (the Pages worker caches
  // any cacheable response it serves).
  if (!response.headers.has("cache-control")) {
    try {
      response.headers.set("cache-control", "private, no-store");
    } catch {
      // Immutable headers (a proxied response) keep their own caching rules.
    }
  }
  return response;
};
