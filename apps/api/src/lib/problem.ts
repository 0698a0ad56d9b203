import { ApiError, type ErrorCode, type FieldError, toProblem } from "@crm/errors";
import type { Context } from "hono";

/** A problem+json response for this request (RFC 9457). */
export function problemResponse(
  c: Context,
  code: ErrorCode,
  detail: string,
  extra: { errors?: FieldError[]; extensions?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Response {
  const requestId = (c.get("requestId") as string | undefined) ?? "unknown";
  const body = toProblem(code, detail, requestId, extra);
  const headers = new Headers(extra.headers);
  headers.set("content-type", "application/problem+json");
  headers.set("x-request-id", requestId);
  return new Response(JSON.stringify(body), { status: body.status, headers });
}

export function apiErrorResponse(c: Context, error: ApiError): Response {
  return problemResponse(c, error.code, error.message, {
    errors: error.errors,
    extensions: error.extensions,
    headers: error.headers,
  });
}
