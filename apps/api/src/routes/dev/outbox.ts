import { createRoute, z } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { ApiError, openApiErrorResponses } from "@crm/errors";
import { createMiddleware } from "hono/factory";
import { listOutbox } from "@crm/services";
import type { App } from "../../app";
import type { AppEnv } from "../../env";
import { PageQuerySchema, pageOf } from "../../lib/pagination";
import { access } from "../../lib/route";

/** Environments where mail stops in the outbox and anyone on the machine may read it. */
export const devEnvironments = new Set(["development", "test"]);

/** Reset and invitation links are in here: outside dev and test the route does not exist (404 before validation). */
const devOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (!devEnvironments.has(c.env.ENVIRONMENT))
    throw new ApiError("NOT_FOUND", `No route matches ${c.req.method} ${c.req.path}`);
  await next();
});

const publicAccess = access({ public: true });

const OutboxMessageSchema = z
  .object({
    id: z.string().openapi({ example: "msg_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    tenantId: z.string().nullable(),
    kind: z.string().openapi({ example: "invitation" }),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    html: z.string().nullable(),
    transport: z.string().openapi({ example: "dev-outbox" }),
    createdAt: z.string(),
  })
  .openapi("OutboxMessage");

const OutboxQuerySchema = PageQuerySchema.extend({
  to: z
    .string()
    .max(254)
    .optional()
    .openapi({ param: { name: "to", in: "query" }, description: "Only mail to this address" }),
});

const route = createRoute({
  method: "get",
  path: "/api/v1/dev/outbox",
  operationId: "listDevOutbox",
  summary: "Development only: mail the dev transport stored instead of sending, newest first (404 elsewhere)",
  tags: ["Development"],
  ...publicAccess,
  middleware: [devOnly, ...publicAccess.middleware],
  request: { query: OutboxQuerySchema },
  responses: {
    200: {
      description: "A page of messages",
      content: { "application/json": { schema: pageOf(OutboxMessageSchema, "OutboxPage") } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerDevOutbox(app: App): void {
  app.openapi(route, async (c) => c.json(await listOutbox(createDb(c.env.DB), c.req.valid("query")), 200));
}
