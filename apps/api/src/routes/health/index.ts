import { createRoute, z } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import type { App } from "../../app";
import { access } from "../../lib/route";

const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    version: z.string().openapi({ example: "0.1.0" }),
    environment: z.string().openapi({ example: "development" }),
    database: z.object({ ok: z.boolean(), latencyMs: z.number() }),
  })
  .openapi("Health");

const route = createRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  summary: "Service health: version and whether D1 answers",
  tags: ["System"],
  ...access({ public: true }),
  responses: {
    200: { description: "Healthy", content: { "application/json": { schema: HealthSchema } } },
    503: { description: "D1 does not answer", content: { "application/json": { schema: HealthSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerHealthRoutes(app: App): void {
  app.openapi(route, async (c) => {
    const started = performance.now();
    let ok: boolean;
    try {
      ok = (await c.env.DB.prepare("select 1 as one").first<{ one: number }>())?.one === 1;
    } catch {
      ok = false;
    }
    const body = {
      status: ok ? ("ok" as const) : ("degraded" as const),
      version: c.env.APP_VERSION,
      environment: c.env.ENVIRONMENT,
      database: { ok, latencyMs: Math.round((performance.now() - started) * 100) / 100 },
    };
    return ok ? c.json(body, 200) : c.json(body, 503);
  });
}
