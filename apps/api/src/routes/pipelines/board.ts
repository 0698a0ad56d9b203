import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { pipelineBoard } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { BoardQuerySchema, BoardSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/pipelines/{id}/board",
  operationId: "getPipelineBoard",
  summary: "The kanban board: each stage in order with its deal count, totals and first deals",
  description:
    "Per stage: `count`, `totalValue`, `weightedValue` (value x probability / 100) and the `perStage` highest-value deals. " +
    "Filter by `ownerId` (or `me`) and `status`. Members whose role sees only their own records see only those.",
  tags: ["Pipelines", "Deals"],
  ...access({ scope: "deals:read" }),
  request: { params: IdParamSchema, query: BoardQuerySchema },
  responses: {
    200: { description: "The board", content: { "application/json": { schema: BoardSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerPipelineBoard(app: App): void {
  app.openapi(route, async (c) => {
    const ctx = tenantContext(c);
    const { ownerId, ...options } = c.req.valid("query");
    const board = await pipelineBoard(ctx, c.req.valid("param").id, {
      ...options,
      ownerId: ownerId === "me" ? ctx.actor.id : ownerId,
    });
    return c.json(board, 200);
  });
}
