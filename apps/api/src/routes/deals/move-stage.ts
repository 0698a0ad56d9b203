import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { moveDealStage } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { DealSchema, MoveStageBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/deals/{id}/move-stage",
  operationId: "moveDealStage",
  summary: "Move a deal to another stage, recording its stage history",
  description:
    "Closes the open stage-history entry (`leftAt`) and opens one for the new stage (`enteredAt`). Entering a won or lost " +
    "stage sets the status and `closedAt` (and keeps `lostReason`); leaving one reopens the deal. The deal takes the new " +
    "stage's probability unless `probability` is given. The stage may belong to another pipeline: the deal moves with it. " +
    "A move made meanwhile by someone else is a 409.",
  tags: ["Deals"],
  ...access({ scope: "deals:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: MoveStageBodySchema } } },
  },
  responses: {
    200: { description: "The deal in its new stage", content: { "application/json": { schema: DealSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerMoveDealStage(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await moveDealStage(tenantContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
