import { createRoute, z } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { getEnrollment, listEnrollments, pauseEnrollment, resumeEnrollment, unenroll } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { EnrollmentListQuerySchema, EnrollmentPageSchema, EnrollmentSchema } from "./schema";

const listRoute = createRoute({
  method: "get",
  path: "/api/v1/sequences/{id}/enrollments",
  operationId: "listEnrollments",
  summary: "The sequence's enrollments, newest first",
  tags: ["Sequences"],
  ...access({ scope: "sequences:read" }),
  request: { params: IdParamSchema, query: EnrollmentListQuerySchema },
  responses: {
    200: { description: "A page of enrollments", content: { "application/json": { schema: EnrollmentPageSchema } } },
    ...openApiErrorResponses(),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/api/v1/enrollments/{id}",
  operationId: "getEnrollment",
  summary: "One enrollment: status, next step and when it is due",
  tags: ["Sequences"],
  ...access({ scope: "sequences:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "The enrollment", content: { "application/json": { schema: EnrollmentSchema } } },
    ...openApiErrorResponses(),
  },
});

const actions = {
  pause: { run: pauseEnrollment, summary: "Pause an active enrollment: nothing is sent until it is resumed" },
  resume: {
    run: resumeEnrollment,
    summary: "Resume a paused enrollment; a step that fell due meanwhile goes out at the next window opening",
  },
  unenroll: { run: unenroll, summary: "Take the contact out of the sequence; nothing more is sent" },
} as const;

function actionRoute(action: keyof typeof actions) {
  return createRoute({
    method: "post",
    path: `/api/v1/enrollments/{id}/${action}`,
    operationId: `${action}Enrollment`,
    summary: actions[action].summary,
    description: "409 when the enrollment has already ended (or, to pause, is not active). Repeating it is harmless.",
    tags: ["Sequences"],
    ...access({ scope: "sequences:write" }),
    request: {
      params: IdParamSchema,
      body: { required: false, content: { "application/json": { schema: z.object({}) } } },
    },
    responses: {
      200: { description: "The enrollment as changed", content: { "application/json": { schema: EnrollmentSchema } } },
      ...openApiErrorResponses([409]),
    },
  });
}

export function registerEnrollmentRoutes(app: App): void {
  app.openapi(listRoute, async (c) =>
    c.json(await listEnrollments(tenantContext(c), c.req.valid("param").id, c.req.valid("query")), 200),
  );
  app.openapi(getRoute, async (c) => c.json(await getEnrollment(tenantContext(c), c.req.valid("param").id), 200));
  for (const action of Object.keys(actions) as (keyof typeof actions)[]) {
    app.openapi(actionRoute(action), async (c) =>
      c.json(await actions[action].run(tenantContext(c), c.req.valid("param").id), 200),
    );
  }
}
