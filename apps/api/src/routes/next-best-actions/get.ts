import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getNextBestAction } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { NextBestActionParamsSchema, NextBestActionSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/ai/next-best-action/{recordType}/{id}",
  operationId: "getNextBestAction",
  summary: "The next best action for a contact, lead or deal, with its priority and why",
  description:
    "Decided now by the built-in rules from the record's last activity and reply (with its class), open tasks, " +
    "sequence enrollment, scores and churn risk, and for a deal its stage, follow-up cadence and next action date. " +
    "The priority (0-100) is the sum of the factors listed. A record that is unknown, another organization's or " +
    "hidden from you is a 404.",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  request: { params: NextBestActionParamsSchema },
  responses: {
    200: { description: "The action", content: { "application/json": { schema: NextBestActionSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGetNextBestAction(app: App): void {
  app.openapi(route, async (c) => {
    const { recordType, id } = c.req.valid("param");
    return c.json(await getNextBestAction(tenantContext(c), recordType, id), 200);
  });
}
