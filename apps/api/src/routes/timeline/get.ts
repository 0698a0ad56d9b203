import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { recordTimeline, type Scope, type TimelineRecordType } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { TimelinePageSchema, TimelineQuerySchema } from "./schema";

const objects: Record<
  TimelineRecordType,
  { path: string; scope: Scope; tag: string; operationId: string; stages: string }
> = {
  contact: {
    path: "contacts",
    scope: "contacts:read",
    tag: "Contacts",
    operationId: "getContactTimeline",
    stages: "lifecycle stage changes",
  },
  company: {
    path: "companies",
    scope: "companies:read",
    tag: "Companies",
    operationId: "getCompanyTimeline",
    stages: "no stage changes",
  },
  deal: {
    path: "deals",
    scope: "deals:read",
    tag: "Deals",
    operationId: "getDealTimeline",
    stages: "pipeline stage moves",
  },
  lead: {
    path: "leads",
    scope: "leads:read",
    tag: "Leads",
    operationId: "getLeadTimeline",
    stages: "stage changes with reasons",
  },
};

/** `GET /api/v1/<objects>/{id}/timeline` for one record type. */
export function registerTimeline(app: App, recordType: TimelineRecordType): void {
  const object = objects[recordType];
  const route = createRoute({
    method: "get",
    path: `/api/v1/${object.path}/{id}/timeline`,
    operationId: object.operationId,
    summary: `Everything that happened to a ${recordType}, newest first`,
    description:
      `Notes, activities, tasks about it (created and completed), ${object.stages}, and its created/updated ` +
      "audit entries, merged in time order and paginated with `cursor` (page 2 continues exactly where page 1 " +
      `ended). 404 when the ${recordType} is unknown, another organization's, or hidden by record visibility.`,
    tags: [object.tag],
    ...access({ scope: object.scope }),
    request: { params: IdParamSchema, query: TimelineQuerySchema },
    responses: {
      200: { description: "A page of timeline items", content: { "application/json": { schema: TimelinePageSchema } } },
      ...openApiErrorResponses(),
    },
  });
  app.openapi(route, async (c) => {
    const { limit, cursor, types } = c.req.valid("query");
    const page = await recordTimeline(tenantContext(c), recordType, c.req.valid("param").id, {
      limit,
      cursor,
      types: types === undefined ? undefined : Array.isArray(types) ? types : [types],
    });
    return c.json(page, 200);
  });
}
