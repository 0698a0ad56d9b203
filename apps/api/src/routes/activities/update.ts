import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { updateActivity } from "@crm/services";
import type { App } from "../../app";
import { aiProviders } from "../../lib/ai";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ActivitySchema, activityDates, UpdateActivityBodySchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/activities/{id}",
  operationId: "updateActivity",
  summary: "Change an activity (whoever logged it, an owner or an admin)",
  tags: ["Activities"],
  ...access({ scope: "activities:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: UpdateActivityBodySchema } } },
  },
  responses: {
    200: { description: "The activity as changed", content: { "application/json": { schema: ActivitySchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerUpdateActivity(app: App): void {
  app.openapi(route, async (c) =>
    c.json(
      await updateActivity(
        tenantContext(c),
        c.req.valid("param").id,
        activityDates(c.req.valid("json")),
        aiProviders(c),
      ),
      200,
    ),
  );
}
