import { z } from "@hono/zod-openapi";
import { type ErrorCode, errorCodes, errorTitles, problemType } from "./codes";
import type { FieldError } from "./api-error";

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function toProblem(
  code: ErrorCode,
  detail: string,
  requestId: string,
  extra: { errors?: FieldError[]; extensions?: Record<string, unknown> } = {},
): Problem {
  return {
    ...(extra.extensions ?? {}),
    type: problemType(code),
    title: errorTitles[code],
    status: errorCodes[code],
    detail,
    code,
    requestId,
    ...(extra.errors && extra.errors.length > 0 ? { errors: extra.errors } : {}),
  };
}

/** zod issues → `errors: [{ path, message }]`, with paths as `body.emails.0.address`. */
export function zodIssuesToFieldErrors(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  prefix?: string,
): FieldError[] {
  return issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((p) => p !== undefined && p !== "").join("."),
    message: issue.message,
  }));
}

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "https://crm.dev/problems/validation-failed" }),
    title: z.string().openapi({ example: "Validation failed" }),
    status: z.number().int().openapi({ example: 422 }),
    detail: z.string().openapi({ example: "The request has invalid fields" }),
    code: z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]),
    requestId: z.string().openapi({ example: "req_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: "One entry per invalid field" }),
  })
  .loose()
  .openapi("Problem", { description: "RFC 9457 problem details" });
