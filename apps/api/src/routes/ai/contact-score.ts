import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getContactScore, scoreContact } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ScoreBreakdownSchema, ScoreSchema } from "./schema";

const getRoute = createRoute({
  method: "get",
  path: "/api/v1/contacts/{id}/score",
  operationId: "getContactScore",
  summary: "The contact's lead score with its breakdown and history",
  description:
    "Rule components (engagement, recency, response rate, profile completeness, ICP fit), the tenant model's " +
    "part with the fields behind it, the level, the qualification decision and any override. A read changes " +
    "nothing: a contact never scored gets a score computed for this answer (empty history), stored only by " +
    "`POST` or the hourly rescoring of changed records.",
  tags: ["AI"],
  ...access({ scope: "contacts:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The score", content: { "application/json": { schema: ScoreBreakdownSchema } } },
    ...openApiErrorResponses(),
  },
});

const postRoute = createRoute({
  method: "post",
  path: "/api/v1/contacts/{id}/score",
  operationId: "scoreContact",
  summary: "Score the contact now",
  description:
    "At or above the MQL threshold (default 75) the contact moves to the MQL stage; crossing the qualify (70) or " +
    "disqualify (40) threshold sets its lead status to Qualified or Disqualified. Moves are ordinary contact " +
    "updates: lifecycle history, audit entry and a `contact.updated` event that webhooks and workflows receive.",
  tags: ["AI"],
  ...access({ scope: "contacts:write" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The new score", content: { "application/json": { schema: ScoreSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerContactScore(app: App): void {
  app.openapi(getRoute, async (c) => c.json(await getContactScore(tenantContext(c), c.req.valid("param").id), 200));
  app.openapi(postRoute, async (c) => c.json(await scoreContact(tenantContext(c), c.req.valid("param").id), 200));
}
