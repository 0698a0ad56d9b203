import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { defaultExitRules, defaultSendWindow, updateSequence } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { CreateSequenceBodySchema, SequenceSchema, UpdateSequenceBodySchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/sequences/{id}",
  operationId: "updateSequence",
  summary: "Change a sequence; `steps` replaces its steps",
  description:
    "A step sent with its `id`, or identical to a current step, keeps its id (and its stats); current steps left " +
    "out are retired. Live enrollments waiting on a retired step move to the step now at its position, or " +
    "complete when there is none. Same 422 checks as create.",
  tags: ["Sequences"],
  ...access({ scope: "sequences:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: UpdateSequenceBodySchema } } },
  },
  responses: {
    200: { description: "The sequence as changed", content: { "application/json": { schema: SequenceSchema } } },
    ...openApiErrorResponses(),
  },
});

const replaceRoute = createRoute({
  method: "put",
  path: "/api/v1/sequences/{id}",
  operationId: "replaceSequence",
  summary: "Replace a sequence: the whole body as for create; fields left out return to their defaults",
  description: "Steps are kept by id or when unchanged, as for PATCH. Same 422 checks as create.",
  tags: ["Sequences"],
  ...access({ scope: "sequences:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: CreateSequenceBodySchema } } },
  },
  responses: {
    200: { description: "The sequence as replaced", content: { "application/json": { schema: SequenceSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerUpdateSequence(app: App): void {
  app.openapi(replaceRoute, async (c) => {
    const body = c.req.valid("json");
    return c.json(
      await updateSequence(tenantContext(c), c.req.valid("param").id, {
        description: null,
        status: "active",
        mailboxId: null,
        sendWindow: defaultSendWindow,
        defaultTimeZone: "UTC",
        exitRules: defaultExitRules,
        ...body,
      }),
      200,
    );
  });
  app.openapi(route, async (c) =>
    c.json(await updateSequence(tenantContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
