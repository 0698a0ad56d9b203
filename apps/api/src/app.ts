import { OpenAPIHono } from "@hono/zod-openapi";
import { ApiError, zodIssuesToFieldErrors } from "@crm/errors";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env";
import { apiErrorResponse, problemResponse } from "./lib/problem";
import { authenticate } from "./middleware/authenticate";
import { limitBody, requireJsonBody } from "./middleware/body-guards";
import { dispatchEvents } from "./middleware/dispatch-events";
import { documentIdempotencyKey, idempotency } from "./middleware/idempotency";
import { rateLimit } from "./middleware/rate-limit";
import { requestId } from "./middleware/request-id";
import { registerDocs } from "./routes/docs";
import { registerRoutes } from "./routes";

export const apiVersion = "0.1.0";

export type App = OpenAPIHono<AppEnv>;

/** Validation failures from zod become 422 problems with one `errors` entry per field. */
export function newRouter(): App {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      if (result.target === "param") {
        // A malformed id names nothing: answer as for an unknown id.
        return problemResponse(c, "NOT_FOUND", "No record has this id");
      }
      const prefix = result.target === "json" ? "body" : result.target;
      return problemResponse(c, "VALIDATION_FAILED", "The request has invalid fields", {
        errors: zodIssuesToFieldErrors(result.error.issues, prefix),
      });
    },
  });
}

function methodNotAllowed(app: App, c: Context<AppEnv>): Response | null {
  const path = c.req.path;
  const allowed = new Set<string>();
  for (const route of app.routes) {
    if (route.method === "ALL" || route.path.includes("*")) continue;
    const pattern = new RegExp(`^${route.path.replace(/:[^/]+/g, "[^/]+")}/?$`);
    if (pattern.test(path)) allowed.add(route.method);
  }
  if (allowed.size === 0) return null;
  return problemResponse(c, "METHOD_NOT_ALLOWED", `${c.req.method} is not allowed on ${path}`, {
    headers: { Allow: [...allowed].sort().join(", ") },
  });
}

export function createApp(): App {
  const app = newRouter();

  app.use("*", requestId);
  app.use("/api/*", limitBody, requireJsonBody, authenticate, rateLimit, idempotency, dispatchEvents);

  registerRoutes(app);
  documentIdempotencyKey(app);
  registerDocs(app, apiVersion);

  app.notFound(
    (c) =>
      methodNotAllowed(app, c) ?? problemResponse(c, "NOT_FOUND", `No route matches ${c.req.method} ${c.req.path}`),
  );

  app.onError((error, c) => {
    if (error instanceof ApiError) return apiErrorResponse(c, error);
    if (error instanceof HTTPException) {
      const status = error.status;
      const code =
        status === 413
          ? "PAYLOAD_TOO_LARGE"
          : status === 401
            ? "UNAUTHORIZED"
            : status === 404
              ? "NOT_FOUND"
              : "BAD_REQUEST";
      return problemResponse(c, code, error.message || "The request could not be processed");
    }
    console.error(
      JSON.stringify({
        level: "error",
        requestId: c.get("requestId"),
        message: String(error),
        // drizzle wraps D1's own error ("Failed query: ..."); the cause says what D1 refused.
        cause: (error as Error).cause === undefined ? undefined : String((error as Error).cause),
        stack: (error as Error).stack,
      }),
    );
    return problemResponse(
      c,
      "INTERNAL_ERROR",
      "Something went wrong on our side; quote the request id when reporting it",
    );
  });

  return app;
}
