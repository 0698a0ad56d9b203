import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getAiSettings, updateAiSettings } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { AiSettingsSchema, UpdateAiSettingsBodySchema } from "./schema";

const getRoute = createRoute({
  method: "get",
  path: "/api/v1/ai/settings",
  operationId: "getAiScoringSettings",
  summary:
    "AI settings: lead scoring (qualification thresholds, default 70/75/40; rules/model blend; ICP rules) and the pipeline agent's mode",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  responses: {
    200: { description: "The settings", content: { "application/json": { schema: AiSettingsSchema } } },
    ...openApiErrorResponses(),
  },
});

const patchRoute = createRoute({
  method: "patch",
  path: "/api/v1/ai/settings",
  operationId: "updateAiScoringSettings",
  summary: "Change the AI settings: lead scoring and the pipeline agent's mode (admins)",
  description:
    "422 at `body.qualification.disqualify` when it is above `qualify`, and at `body.qualification.moveToMql` below `disqualify`.",
  tags: ["AI"],
  ...access({ scope: "ai:write", role: "admin" }),
  request: { body: { required: true, content: { "application/json": { schema: UpdateAiSettingsBodySchema } } } },
  responses: {
    200: { description: "The settings", content: { "application/json": { schema: AiSettingsSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerAiSettings(app: App): void {
  app.openapi(getRoute, async (c) => c.json(await getAiSettings(tenantContext(c)), 200));
  app.openapi(patchRoute, async (c) => c.json(await updateAiSettings(tenantContext(c), c.req.valid("json")), 200));
}
