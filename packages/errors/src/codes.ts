/**
 * Stable error codes: clients switch on `code`, never on `title` or `detail`.
 * Each maps to one HTTP status and one problem `type` URI.
 */
export const errorCodes = {
  BAD_REQUEST: 400,
  MALFORMED_JSON: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  INSUFFICIENT_SCOPE: 403,
  IP_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION_FAILED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  UPSTREAM_ERROR: 502,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export const errorTitles: Record<ErrorCode, string> = {
  BAD_REQUEST: "Bad request",
  MALFORMED_JSON: "Malformed JSON body",
  UNAUTHORIZED: "Authentication required",
  FORBIDDEN: "Forbidden",
  INSUFFICIENT_SCOPE: "API key lacks the required scope",
  IP_NOT_ALLOWED: "Client IP not in the key's allow-list",
  NOT_FOUND: "Not found",
  METHOD_NOT_ALLOWED: "Method not allowed",
  CONFLICT: "Conflict",
  GONE: "Gone",
  PAYLOAD_TOO_LARGE: "Payload too large",
  UNSUPPORTED_MEDIA_TYPE: "Unsupported media type",
  VALIDATION_FAILED: "Validation failed",
  IDEMPOTENCY_KEY_REUSED: "Idempotency key reused with a different request",
  RATE_LIMITED: "Too many requests",
  INTERNAL_ERROR: "Internal server error",
  UPSTREAM_ERROR: "An upstream server or provider failed or refused",
  SERVICE_UNAVAILABLE: "Service unavailable",
};

export function codeToStatus(code: ErrorCode): number {
  return errorCodes[code];
}

/** The `type` member of a problem: a stable URI per code (RFC 9457 §3.1.1). */
export function problemType(code: ErrorCode): string {
  return `https://crm.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`;
}
