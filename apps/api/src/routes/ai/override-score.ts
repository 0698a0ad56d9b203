import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { overrideContactScore } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { OverrideBodySchema, ScoreSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/contacts/{id}/score/override",
  operationId: "overrideContactScore",
  summary: "Set the contact's lead score by hand, with a reason (score null clears it)",
  description: "The override wins over the computed score until cleared; 409 when clearing a score that has none.",
  tags: ["AI"],
  ...access({ scope: "contacts:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: OverrideBodySchema } } },
  },
  responses: {
    200: { description: "The score with the override", content: { "application/json": { schema: ScoreSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerOverrideScore(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await overrideContactScore(tenantContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
