import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getRecordVisibility } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { RecordVisibilitySchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/settings/record-visibility",
  operationId: "getRecordVisibility",
  summary: "Whether members and viewers see every record or only their own",
  tags: ["Settings"],
  ...access({ role: "viewer", keys: false }),
  responses: {
    200: {
      description: "The setting (default: all)",
      content: { "application/json": { schema: RecordVisibilitySchema } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerGetRecordVisibility(app: App): void {
  app.openapi(route, async (c) => c.json(await getRecordVisibility(tenantContext(c)), 200));
}
