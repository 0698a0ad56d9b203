import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getAuditEntry } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { AuditEntrySchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/audit-log/{id}",
  operationId: "getAuditEntry",
  summary: "One audit entry with its before/after diff (owner/admin)",
  tags: ["Audit log"],
  ...access({ scope: "audit_log:read", role: "admin" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The entry", content: { "application/json": { schema: AuditEntrySchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetAuditEntry(app: App): void {
  app.openapi(route, async (c) => c.json(await getAuditEntry(tenantContext(c), c.req.valid("param").id), 200));
}
