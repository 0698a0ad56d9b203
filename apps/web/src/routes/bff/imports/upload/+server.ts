import { error, type RequestHandler } from "@sveltejs/kit";

/**
 * A CSV file on its way to POST /api/v1/imports, streamed through as the browser sends it (the
 * JSON-only /bff proxy would hold it whole in memory). Same-origin only, like the proxy's writes;
 * `objectType` and `fileName` go along as the API's query.
 */
export const POST: RequestHandler = async ({ request, url, locals }) => {
  if (!locals.me) error(401, "Sign in again to continue.");
  const site = request.headers.get("sec-fetch-site");
  const sameOrigin = site ? site === "same-origin" : request.headers.get("origin") === url.origin;
  if (!sameOrigin) error(403, "Cross-site requests are refused.");
  const length = request.headers.get("content-length");
  if (!request.body || !length) error(411, "Send the file with its length.");

  const query = new URLSearchParams();
  for (const name of ["objectType", "fileName"]) {
    const value = url.searchParams.get(name);
    if (value) query.set(name, value);
  }
  const upstream = await locals.api(`/api/v1/imports?${query}`, {
    method: "POST",
    stream: { body: request.body, headers: { "content-type": "text/csv", "content-length": length } },
  });
  const headers = new Headers({ "cache-control": "private, no-store" });
  for (const name of ["content-type", "retry-after", "x-request-id"]) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers });
};
