import { ProblemSchema } from "./problem";

const problemContent = { "application/problem+json": { schema: ProblemSchema } };

const descriptions: Record<number, string> = {
  400: "Malformed request",
  401: "Missing, invalid, expired or revoked credentials",
  403: "The role or API key scope does not allow this",
  404: "Not found (also for another tenant's records)",
  409: "Conflicts with an existing record",
  413: "Body too large",
  415: "Body is not application/json",
  422: "A field is invalid",
  429: "Rate limit exceeded; see Retry-After",
  500: "Unexpected server error",
  502: "An upstream server or provider (a mail server, an email API) failed or refused",
};

/** The error responses every route documents, so /openapi.json is complete. */
export function openApiErrorResponses(extra: number[] = []) {
  const statuses = [400, 401, 403, 404, 413, 415, 422, 429, 500, ...extra];
  return Object.fromEntries(
    [...new Set(statuses)].map((status) => [
      status,
      { description: descriptions[status] ?? "Error", content: problemContent },
    ]),
  );
}
