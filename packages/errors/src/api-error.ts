import { type ErrorCode, codeToStatus } from "./codes";

export interface FieldError {
  path: string;
  message: string;
}

/**
 * The one error type that code below the HTTP layer throws. The app's onError turns it
 * into an RFC 9457 problem+json response; anything else becomes a 500 without details.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors?: FieldError[];
  /** Extra members merged into the problem body (e.g. `existingId` on a duplicate). */
  readonly extensions?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    detail: string,
    options: {
      errors?: FieldError[];
      extensions?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(detail);
    this.name = "ApiError";
    this.code = code;
    this.status = codeToStatus(code);
    this.errors = options.errors;
    this.extensions = options.extensions;
    this.headers = options.headers;
  }
}

export const notFound = (entity: string, id?: string) =>
  new ApiError("NOT_FOUND", id ? `${entity} ${id} was not found` : `${entity} was not found`);

export const validationFailed = (errors: FieldError[], detail = "The request has invalid fields") =>
  new ApiError("VALIDATION_FAILED", detail, { errors });

export const forbidden = (detail: string) => new ApiError("FORBIDDEN", detail);

export const conflict = (detail: string, extensions?: Record<string, unknown>) =>
  new ApiError("CONFLICT", detail, { extensions });
