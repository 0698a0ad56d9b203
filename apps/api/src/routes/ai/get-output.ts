import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getAiOutput } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { AiOutputSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/ai/outputs/{id}",
  operationId: "getAiOutput",
  summary: "One stored AI output (sentiment, reply class or generated content) with its rating",
  description:
    "An output that is unknown, another organization's or about a record hidden from you is a 404. Generated " +
    "content names the template it came from.",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The output", content: { "application/json": { schema: AiOutputSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetAiOutput(app: App): void {
  app.openapi(route, async (c) => c.json(await getAiOutput(tenantContext(c), c.req.valid("param").id), 200));
}
