import { ApiError } from "@crm/errors";
import { bodyLimit } from "hono/body-limit";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

/** 1 MiB: the largest JSON body any route takes (CSV uploads go elsewhere). */
export const maxJsonBodyBytes = 1024 * 1024;

/**
 * Routes whose body is a file streamed straight to storage (the CSV upload): not JSON, not
 * read into memory here, and limited by the route itself.
 */
const fileUploads = new Set(["POST /api/v1/imports"]);

export function isFileUploadRoute(method: string, path: string): boolean {
  return fileUploads.has(`${method.toUpperCase()} ${path.replace(/\/$/, "")}`);
}

export const isFileUpload = (c: Context): boolean => isFileUploadRoute(c.req.method, c.req.path);

const jsonBodyLimit = bodyLimit({
  maxSize: maxJsonBodyBytes,
  onError: () => {
    throw new ApiError("PAYLOAD_TOO_LARGE", `The body exceeds ${maxJsonBodyBytes} bytes`);
  },
});

export const limitBody = createMiddleware<AppEnv>(async (c, next) =>
  isFileUpload(c) ? next() : jsonBodyLimit(c, next),
);

const methodsWithBody = new Set(["POST", "PUT", "PATCH"]);

/**
 * A body we cannot read as JSON is refused here with the right status (415 for another
 * media type, 400 for broken JSON), before zod sees it, so no bad input reaches a 500.
 */
export const requireJsonBody = createMiddleware<AppEnv>(async (c, next) => {
  if (!methodsWithBody.has(c.req.method) || isFileUpload(c)) return next();
  const contentLength = c.req.header("content-length");
  const hasBody = c.req.raw.body !== null && contentLength !== "0";
  if (!hasBody) return next();
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json");
  }
  const text = await c.req.raw.clone().text();
  if (text.trim() === "") return next();
  try {
    JSON.parse(text);
  } catch (error) {
    throw new ApiError("MALFORMED_JSON", `The body is not valid JSON: ${(error as Error).message}`);
  }
  await next();
});
