import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { listDealStageHistory } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema, PageQuerySchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { DealStageChangePageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/deals/{id}/stage-history",
  operationId: "listDealStageHistory",
  summary: "The stages a deal went through, oldest first",
  description: "One entry per stage entered, with when it entered and left (null while still there) and who moved it.",
  tags: ["Deals"],
  ...access({ scope: "deals:read" }),
  request: { params: IdParamSchema, query: PageQuerySchema },
  responses: {
    200: {
      description: "A page of stage history",
      content: { "application/json": { schema: DealStageChangePageSchema } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerDealStageHistory(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await listDealStageHistory(tenantContext(c), c.req.valid("param").id, c.req.valid("query")), 200),
  );
}
