import { createRoute, type z } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import {
  type ContactListFilters,
  customFieldFiltersFrom,
  enrollByFilter,
  previewEnrollmentFilter,
} from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { type ContactFiltersSchema, FilterBodySchema, FilterEnrollResultSchema, FilterPreviewSchema } from "./schema";

const toDate = (value: string | undefined) => (value ? new Date(value) : undefined);

/** The JSON filters as the contact list takes them (the same as GET /contacts' query). */
function listFilters(filters: z.infer<typeof ContactFiltersSchema>): ContactListFilters {
  const { tag, createdFrom, createdTo, updatedFrom, updatedTo, customFields, ...rest } = filters;
  return {
    ...rest,
    tags: tag === undefined ? undefined : Array.isArray(tag) ? tag : [tag],
    createdFrom: toDate(createdFrom),
    createdTo: toDate(createdTo),
    updatedFrom: toDate(updatedFrom),
    updatedTo: toDate(updatedTo),
    customFields: customFieldFiltersFrom(Object.entries(customFields ?? {}).map(([k, v]) => [`cf.${k}`, v])),
  };
}

const previewRoute = createRoute({
  method: "post",
  path: "/api/v1/sequences/{id}/enrollments/preview-filter",
  operationId: "previewEnrollmentFilter",
  summary: "How many contacts the filters match, and up to ten of them, before enrolling by filter",
  tags: ["Sequences"],
  ...access({ scope: "sequences:read" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: FilterBodySchema } } },
  },
  responses: {
    200: { description: "Count and sample", content: { "application/json": { schema: FilterPreviewSchema } } },
    ...openApiErrorResponses(),
  },
});

const enrollRoute = createRoute({
  method: "post",
  path: "/api/v1/sequences/{id}/enrollments/by-filter",
  operationId: "enrollByFilter",
  summary: "Enroll every contact matching the filters (those already in the sequence are counted, not re-enrolled)",
  description: "Up to 10,000 contacts per call: 422 at `body.filters` beyond that. 409 when the sequence is paused.",
  tags: ["Sequences"],
  ...access({ scope: "sequences:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: FilterBodySchema } } },
  },
  responses: {
    200: { description: "What happened", content: { "application/json": { schema: FilterEnrollResultSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerEnrollByFilter(app: App): void {
  app.openapi(previewRoute, async (c) =>
    c.json(
      await previewEnrollmentFilter(
        tenantContext(c),
        c.req.valid("param").id,
        listFilters(c.req.valid("json").filters),
      ),
      200,
    ),
  );
  app.openapi(enrollRoute, async (c) =>
    c.json(
      await enrollByFilter(tenantContext(c), c.req.valid("param").id, listFilters(c.req.valid("json").filters)),
      200,
    ),
  );
}
