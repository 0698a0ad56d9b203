import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { trainModel } from "@crm/services";
import type { App } from "../../app";
import { rescoreAfterTraining } from "../../jobs/ai-jobs";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { AiModelSchema, TrainModelBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/ai/models",
  operationId: "trainAiModel",
  summary: "Train the organization's lead scoring or churn model from its own contacts",
  description:
    "Trains synchronously (the answer is the stored model; up to 20,000 contacts, about 8 s for 10,000) on the " +
    "organization's contacts, their standard fields and custom fields (`cf.<key>`), labelled by the outcome " +
    "named in `label`. 20% of the labelled contacts are held out to measure the model (`metrics.holdoutAuc`), " +
    "then it is refitted on all of them. The new model replaces the previous one of the same kind; it is " +
    "retrained weekly. Every record the kind covers is then rescored with it in the background (a rescoring job " +
    "with `trigger: retrain`, unless one of that kind is under way). 422 at `body.label` when there are fewer than 5 contacts of either outcome, at " +
    "`body.label.field` or `body.fields.<n>` for an unknown field.",
  tags: ["AI"],
  ...access({ scope: "ai:write" }),
  request: { body: { required: true, content: { "application/json": { schema: TrainModelBodySchema } } } },
  responses: {
    201: { description: "The trained model", content: { "application/json": { schema: AiModelSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerTrainModel(app: App): void {
  app.openapi(route, async (c) => {
    const ctx = tenantContext(c);
    const model = await trainModel(ctx, c.req.valid("json"));
    await rescoreAfterTraining(ctx, c.env.JOBS, model.kind);
    return c.json(model, 201);
  });
}
