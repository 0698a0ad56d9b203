import { Scalar } from "@scalar/hono-api-reference";
import type { App } from "../app";

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
      license: { name: "Proprietary" },
    },
    servers: [{ url: "/", description: "This server" }],
    tags: [
      { name: "Auth", description: "Sign-up, sessions and the signed-in person" },
      { name: "API keys", description: "Keys for integrations" },
      { name: "System", description: "Health and documentation" },
    ],
  });

  app.get(
    "/docs",
    Scalar({
      url: "/openapi.json",
      pageTitle: "CRM API reference",
      cdn: "/docs/assets/scalar.js",
    }),
  );
}
