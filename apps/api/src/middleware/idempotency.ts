import { createDb, tenantDb } from "@crm/db";
import { ApiError } from "@crm/errors";
import { IdempotencyRecord, idempotencyRequestHash } from "@crm/services";
import { createMiddleware } from "hono/factory";
import type { App } from "../app";
import type { AppEnv } from "../env";
import { isFileUpload, isFileUploadRoute } from "./body-guards";

export const idempotencyHeader = "Idempotency-Key";
export const replayedHeader = "Idempotent-Replayed";
export const maxIdempotencyKeyLength = 255;
const nullBodyStatuses = new Set([204, 205, 304]);

/**
 * POSTs under /api/v1 from an authenticated principal honour `Idempotency-Key`: the first
 * 2xx response is stored per tenant and replayed for 24 h to the same request; the same key
 * with another request is 422; a twin still running is 409. Errors are not stored, so a
 * failed request can be retried with its key.
 */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header(idempotencyHeader);
  const principal = c.get("principal");
  if (key === undefined || c.req.method !== "POST" || !principal || !c.req.path.startsWith("/api/v1/")) return next();
  // A file upload is streamed to storage, never held to be hashed; an unstarted upload changes nothing.
  if (isFileUpload(c)) return next();
  if (key.trim() === "" || key.length > maxIdempotencyKeyLength) {
    throw new ApiError("BAD_REQUEST", `${idempotencyHeader} must be 1 to ${maxIdempotencyKeyLength} characters`, {
      errors: [{ path: "header.idempotency-key", message: `Must be 1 to ${maxIdempotencyKeyLength} characters` }],
    });
  }

  const url = new URL(c.req.url);
  const requestHash = await idempotencyRequestHash({
    actorId: `${principal.actor.type}:${principal.actor.id}`,
    method: c.req.method,
    path: url.pathname + url.search,
    body: await c.req.text(),
  });
  const record = await IdempotencyRecord.for(
    tenantDb(createDb(c.env.DB), principal.tenantId),
    c.env.JWT_SECRET,
    key,
    requestHash,
  );
  const claim = await record.claim();
  switch (claim.kind) {
    case "mismatch":
      throw new ApiError(
        "IDEMPOTENCY_KEY_REUSED",
        `This ${idempotencyHeader} was used for a different request in the last 24 hours`,
      );
    case "in_progress":
      throw new ApiError(
        "CONFLICT",
        `A request with this ${idempotencyHeader} is still being processed; retry shortly`,
      );
    case "unreadable":
      throw new ApiError(
        "CONFLICT",
        `The response stored for this ${idempotencyHeader} can no longer be replayed; check the result and retry with a new key`,
      );
    case "replay": {
      const { status, body, contentType } = claim.response;
      const headers = new Headers({ [replayedHeader]: "true" });
      if (contentType) headers.set("content-type", contentType);
      // A 204 cannot carry a body, not even an empty string.
      return new Response(nullBodyStatuses.has(status) ? null : body, { status, headers });
    }
    case "claimed":
      break;
  }

  await next();
  const response = c.res;
  try {
    if (response.status >= 200 && response.status < 300) {
      await record.complete({
        status: response.status,
        body: await response.clone().text(),
        contentType: response.headers.get("content-type") ?? "",
      });
    } else {
      await record.release();
    }
  } catch (error) {
    // The change happened; losing the replay record must not turn its response into an error.
    console.error(
      JSON.stringify({
        level: "error",
        requestId: c.get("requestId"),
        message: `idempotency store failed: ${String(error)}`,
      }),
    );
  }
});

/**
 * Adds the header to every authenticated POST in /openapi.json through one shared
 * parameter, so routes added later are documented without touching them.
 */
export function documentIdempotencyKey(app: App): void {
  app.openAPIRegistry.registerComponent("parameters", "IdempotencyKey", {
    name: idempotencyHeader,
    in: "header",
    required: false,
    description:
      `Makes a retried POST safe: the first successful response is stored and replayed (with \`${replayedHeader}: true\`) ` +
      "for 24 hours to the same request with this key; the same key with a different request is 422 IDEMPOTENCY_KEY_REUSED.",
    schema: { type: "string", minLength: 1, maxLength: maxIdempotencyKeyLength },
  });
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== "route") continue;
    const route = definition.route as typeof definition.route & { "x-access"?: { public?: boolean } };
    if (route.method !== "post" || !route.path.startsWith("/api/v1/") || route["x-access"]?.public) continue;
    if (isFileUploadRoute(route.method, route.path)) continue;
    const parameters: unknown[] = route.parameters ?? [];
    route.parameters = [...parameters, { $ref: "#/components/parameters/IdempotencyKey" }] as typeof route.parameters;
  }
}
