import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { updateRecordVisibility } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { RecordVisibilitySchema, UpdateRecordVisibilityBodySchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/settings/record-visibility",
  operationId: "updateRecordVisibility",
  summary: "Choose whether members and viewers see every record or only their own (owner/admin)",
  description:
    "Applies at once to lists, search, detail reads, stats, exports and timelines. Recorded in the audit log " +
    "(entity `tenant_settings`).",
  tags: ["Settings"],
  ...access({ role: "admin", keys: false }),
  request: { body: { required: true, content: { "application/json": { schema: UpdateRecordVisibilityBodySchema } } } },
  responses: {
    200: { description: "The setting as changed", content: { "application/json": { schema: RecordVisibilitySchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerUpdateRecordVisibility(app: App): void {
  app.openapi(route, async (c) => c.json(await updateRecordVisibility(tenantContext(c), c.req.valid("json")), 200));
}
