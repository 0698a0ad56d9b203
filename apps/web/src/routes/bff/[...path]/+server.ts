import { error, type RequestHandler } from "@sveltejs/kit";

/**
 * The dashboard's own pages call the API through here (`/bff/contacts` → `/api/v1/contacts`) as
 * the signed-in person: the token stays in the httpOnly cookie on this server. Only this site's
 * pages may use it: writes must come from the same origin and carry JSON, which a form on
 * another site cannot send without a CORS preflight we never grant.
 */
const forward: RequestHandler = async ({ request, params, url, locals }) => {
  if (!locals.me) error(401, "Sign in again to continue.");
  const method = request.method;
  let json: unknown;
  if (method !== "GET") {
    const site = request.headers.get("sec-fetch-site");
    const origin = request.headers.get("origin");
    const sameOrigin = site ? site === "same-origin" : origin === url.origin;
    if (!sameOrigin) error(403, "Cross-site requests are refused.");
    const text = await request.text();
    if (text) {
      if (!(request.headers.get("content-type") ?? "").includes("application/json")) {
        error(415, "Send JSON.");
      }
      try {
        json = JSON.parse(text);
      } catch {
        error(400, "The body is not valid JSON.");
      }
    }
  }
  const upstream = await locals.api(`/api/v1/${params.path}${url.search}`, { method, json });
  const headers = new Headers({ "cache-control": "private, no-store" });
  for (const name of ["content-type", "retry-after", "x-request-id", "content-disposition"]) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers });
};

export const GET = forward;
export const POST = forward;
export const PATCH = forward;
export const PUT = forward;
export const DELETE = forward;
