import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getActivity } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ActivitySchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/activities/{id}",
  operationId: "getActivity",
  summary: "One activity",
  tags: ["Activities"],
  ...access({ scope: "activities:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The activity", content: { "application/json": { schema: ActivitySchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetActivity(app: App): void {
  app.openapi(route, async (c) => c.json(await getActivity(tenantContext(c), c.req.valid("param").id), 200));
}
