import { Scalar } from "@scalar/hono-api-reference";
import type { App } from "../app";
import { problemResponse } from "../lib/problem";

/** Served from wrangler.toml's [assets] directory, copied there from @scalar/api-reference. */
export const scalarBundlePath = "/docs/assets/scalar.js";

/** /openapi.json (OpenAPI 3.1) and /docs, whose JavaScript we serve ourselves (works offline). */
export function registerDocs(app: App, version: string): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A person's access token from /api/v1/auth/login (15 minutes; renew with /api/v1/auth/refresh).",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key (`crm_…`) from /api/v1/api-keys, limited to its scopes.",
  });

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "CRM API",
      version,
      description:
        "Multi-tenant CRM API. Errors are RFC 9457 problem+json with a stable `code`. Lists use `limit` + `cursor`. POSTs honour `Idempotency-Key`.",
      // OpenAPI 3.1's SPDX `identifier`; @hono/zod-openapi types doc31's config with 3.0's objects.
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" } as { name: string },
    },
    servers: [{ url: "/", description: "This server" }],
    tags: [
      { name: "Auth", description: "Sign-up, sessions and the signed-in person" },
      { name: "API keys", description: "Keys for integrations" },
      { name: "Audit log", description: "Who changed what, when, with the before/after diff" },
      {
        name: "Webhooks",
        description: "Signed event deliveries (Standard Webhooks) with retries, a delivery log and secret rotation",
      },
      {
        name: "Mailboxes",
        description: "Sending identities for outreach: the dev outbox, SMTP or Postmark, with write-only credentials",
      },
      { name: "System", description: "Health and documentation" },
    ],
  });

  // The page loads Scalar's standalone bundle from our static assets (see [assets] in
  // wrangler.toml); nothing else it needs comes from another host.
  app.get("/docs/assets/*", async (c) => {
    const asset = await c.env.ASSETS.fetch(c.req.raw);
    if (asset.status === 404) return problemResponse(c, "NOT_FOUND", `No file at ${c.req.path}`);
    // A fetched response's headers are immutable; copy it so middleware can add X-Request-Id.
    return new Response(asset.body, asset);
  });
  app.get(
    "/docs",
    Scalar({
      url: "/openapi.json",
      pageTitle: "CRM API reference",
      cdn: scalarBundlePath,
      withDefaultFonts: false,
      telemetry: false,
      agent: { disabled: true },
      mcp: { disabled: true },
      showDeveloperTools: "never",
    }),
  );
}
