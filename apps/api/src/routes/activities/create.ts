import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { createActivity } from "@crm/services";
import type { App } from "../../app";
import { aiProviders } from "../../lib/ai";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { ActivitySchema, activityDates, CreateActivityBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/activities",
  operationId: "createActivity",
  summary: "Log a call, meeting, email or note on a record",
  description:
    "The record must exist in this organization (422 at `body.recordId`). It appears on the record's timeline.",
  tags: ["Activities"],
  ...access({ scope: "activities:write" }),
  request: { body: { required: true, content: { "application/json": { schema: CreateActivityBodySchema } } } },
  responses: {
    201: { description: "Logged", content: { "application/json": { schema: ActivitySchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerCreateActivity(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await createActivity(tenantContext(c), activityDates(c.req.valid("json")), aiProviders(c)), 201),
  );
}
