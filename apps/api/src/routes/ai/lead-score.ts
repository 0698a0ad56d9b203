import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getLeadScore, overrideLeadScore, scoreLeadRecord } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { OverrideBodySchema, ScoreBreakdownSchema, ScoreSchema } from "./schema";

/** Ada of the API test: a complete lead with a call, a meeting, a note, a done task and an answered email. */
const leadScoreExample = {
  recordType: "lead",
  recordId: "lead_01jc9x7d1q8m3v5n2k4p6r8t0w",
  kind: "lead_score",
  score: 81,
  computedScore: 81,
  probability: null,
  level: "hot",
  ruleScore: 81,
  modelScore: null,
  qualification: "qualified",
  components: {
    rules: [
      {
        name: "engagement",
        score: 70,
        share: 0.3,
        detail: "28 points from opens ×1, replies ×1, call ×1, meeting ×1, note ×1, task ×1, 40 for 100",
      },
      { name: "recency", score: 100, share: 0.2, detail: "last engaged 0 days ago, halving every 14" },
      { name: "responseRate", score: 100, share: 0.15, detail: "1 of 1 delivered emails answered, 100%" },
      { name: "completeness", score: 100, share: 0.1, detail: "every profile field filled" },
      { name: "fit", score: 60, share: 0.25, detail: "30 of 50 ICP points: cf.employees gte 250" },
    ],
    model: null,
  },
  explanation:
    "Score 81 from the rules (no trained model). Level hot; qualified, moves to MQL. Components: response rate " +
    "100 (1 of 1 delivered emails answered, 100%); profile completeness 100 (every profile field filled); " +
    "recency 100 (last engaged 0 days ago, halving every 14); engagement 70 (28 points from opens ×1, " +
    "replies ×1, call ×1, meeting ×1, note ×1, task ×1, 40 for 100); ICP fit 60 (30 of 50 ICP points: " +
    "cf.employees gte 250).",
  factors: [
    { name: "engagement", impact: 21, value: 70 },
    { name: "recency", impact: 20, value: 100 },
    { name: "ICP fit", impact: 15, value: 60 },
    { name: "response rate", impact: 15, value: 100 },
    { name: "profile completeness", impact: 10, value: 100 },
  ],
  engine: { engine: "builtin", model: "lead-rules", version: "1" },
  modelId: null,
  scoredAt: "2026-03-02T10:00:00.000Z",
  override: null,
};

const getRoute = createRoute({
  method: "get",
  path: "/api/v1/leads/{id}/score",
  operationId: "getLeadScore",
  summary: "The lead's lead score with its breakdown and history",
  description:
    "Scored like a contact: engagement (activities, notes and completed tasks on the lead, outreach emails to its " +
    "address), recency, response rate, profile completeness and ICP fit, blended with the organization's model where " +
    "the model's fields can be read on the lead (shared standard fields, custom fields of the same key; " +
    "`components.model.fieldsMissing` lists those it could not). A read changes nothing: a lead " +
    "never scored gets a score computed for this answer (empty history), stored only by `POST` or the hourly " +
    "rescoring of changed records.",
  tags: ["AI"],
  ...access({ scope: "leads:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: {
      description: "The score",
      content: {
        "application/json": { schema: ScoreBreakdownSchema, example: { ...leadScoreExample, history: [] } },
      },
    },
    ...openApiErrorResponses(),
  },
});

const postRoute = createRoute({
  method: "post",
  path: "/api/v1/leads/{id}/score",
  operationId: "scoreLead",
  summary: "Score the lead now",
  description:
    "At or above the MQL threshold (default 75) a lead at the `lead` stage moves to `mql` through an ordinary lead " +
    "update (stage history with the reason, audit entry, `lead.updated` event for webhooks and workflows). Under the " +
    "disqualify threshold (40) the score says `disqualified`; the lead itself is left as it is.",
  tags: ["AI"],
  ...access({ scope: "leads:write" }),
  request: { params: IdParamSchema },
  responses: {
    200: {
      description: "The new score",
      content: { "application/json": { schema: ScoreSchema, example: leadScoreExample } },
    },
    ...openApiErrorResponses(),
  },
});

const overrideRoute = createRoute({
  method: "post",
  path: "/api/v1/leads/{id}/score/override",
  operationId: "overrideLeadScore",
  summary: "Set the lead's score by hand, with a reason (score null clears it)",
  description: "The override wins over the computed score until cleared; 409 when clearing a score that has none.",
  tags: ["AI"],
  ...access({ scope: "leads:write" }),
  request: {
    params: IdParamSchema,
    body: {
      required: true,
      content: {
        "application/json": { schema: OverrideBodySchema, example: { score: 85, reason: "Asked for a demo by phone" } },
      },
    },
  },
  responses: {
    200: { description: "The score with the override", content: { "application/json": { schema: ScoreSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerLeadScore(app: App): void {
  app.openapi(getRoute, async (c) => c.json(await getLeadScore(tenantContext(c), c.req.valid("param").id), 200));
  app.openapi(postRoute, async (c) => c.json(await scoreLeadRecord(tenantContext(c), c.req.valid("param").id), 200));
  app.openapi(overrideRoute, async (c) =>
    c.json(await overrideLeadScore(tenantContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
