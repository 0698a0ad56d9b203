import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { enrollContacts } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { EnrollBodySchema, EnrollResultSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/sequences/{id}/enrollments",
  operationId: "enrollContacts",
  summary: "Enroll contacts by id; the answer says, per contact, enrolled, already_enrolled or skipped (with reason)",
  description:
    "A contact is in a sequence at most once at a time. 409 when the sequence is paused. Consent (do-not-contact, " +
    "opted out, suppressed) is checked before every send, where a skipped step is recorded with its reason.",
  tags: ["Sequences"],
  ...access({ scope: "sequences:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: EnrollBodySchema } } },
  },
  responses: {
    200: { description: "One result per contact id", content: { "application/json": { schema: EnrollResultSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerEnrollContacts(app: App): void {
  app.openapi(route, async (c) => {
    const data = await enrollContacts(tenantContext(c), {
      sequenceId: c.req.valid("param").id,
      contactIds: c.req.valid("json").contactIds,
      source: "manual",
    });
    return c.json({ data }, 200);
  });
}
