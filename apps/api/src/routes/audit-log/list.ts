import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listAuditLog } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { AuditEntryPageSchema, AuditLogQuerySchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/audit-log",
  operationId: "listAuditLog",
  summary: "The tenant's audit log, newest first (owner/admin)",
  description:
    "Every create, update and delete: who (user or API key), via what, which record, the before/after diff and when. " +
    "Filter by actor, entity, record, action and time; page with `cursor`.",
  tags: ["Audit log"],
  ...access({ scope: "audit_log:read", role: "admin" }),
  request: { query: AuditLogQuerySchema },
  responses: {
    200: { description: "A page of entries", content: { "application/json": { schema: AuditEntryPageSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerListAuditLog(app: App): void {
  app.openapi(route, async (c) => {
    const { limit, cursor, from, to, ...filters } = c.req.valid("query");
    const page = await listAuditLog(
      tenantContext(c),
      { ...filters, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined },
      { limit, cursor },
    );
    return c.json(page, 200);
  });
}
