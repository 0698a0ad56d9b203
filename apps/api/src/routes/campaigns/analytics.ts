import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { campaignAnalytics, campaignTimeSeries, compareCampaigns } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import {
  CampaignAnalyticsSchema,
  CampaignComparisonSchema,
  CampaignTimeSeriesSchema,
  CompareQuerySchema,
  TimeSeriesQuerySchema,
} from "./schema";

const analyticsRoute = createRoute({
  method: "get",
  path: "/api/v1/campaigns/{id}/analytics",
  operationId: "getCampaignAnalytics",
  summary: "Per step and variant counts, totals, rates and the funnel",
  description:
    "Counts come from each message's tracking (an open counts once per message); test sends are not " +
    "counted. Converted: contacts that became customers or won a deal after enrolling; revenue: the value " +
    "of those won deals. Per variant, conversions are those of the contacts that variant was sent to.",
  tags: ["Campaigns"],
  ...access({ scope: "campaigns:read" }),
  request: { params: IdParamSchema },
  responses: {
    200: { description: "Analytics", content: { "application/json": { schema: CampaignAnalyticsSchema } } },
    ...openApiErrorResponses(),
  },
});

const timeSeriesRoute = createRoute({
  method: "get",
  path: "/api/v1/campaigns/{id}/timeseries",
  operationId: "getCampaignTimeSeries",
  summary: "Tracking events per UTC day (every day of the range, zeros included; at most 366 days)",
  tags: ["Campaigns"],
  ...access({ scope: "campaigns:read" }),
  request: { params: IdParamSchema, query: TimeSeriesQuerySchema },
  responses: {
    200: { description: "Days", content: { "application/json": { schema: CampaignTimeSeriesSchema } } },
    ...openApiErrorResponses(),
  },
});

const compareRoute = createRoute({
  method: "get",
  path: "/api/v1/campaigns/compare",
  operationId: "compareCampaigns",
  summary: "Totals and rates of 2 to 10 campaigns side by side, in the order asked",
  tags: ["Campaigns"],
  ...access({ scope: "campaigns:read" }),
  request: { query: CompareQuerySchema },
  responses: {
    200: { description: "The campaigns", content: { "application/json": { schema: CampaignComparisonSchema } } },
    ...openApiErrorResponses(),
  },
});

/** Registered before GET /campaigns/{id}: `compare` must not be read as an id. */
export function registerCompareCampaigns(app: App): void {
  app.openapi(compareRoute, async (c) =>
    c.json(await compareCampaigns(tenantContext(c), c.req.valid("query").ids), 200),
  );
}

export function registerCampaignAnalytics(app: App): void {
  app.openapi(analyticsRoute, async (c) =>
    c.json(await campaignAnalytics(tenantContext(c), c.req.valid("param").id), 200),
  );
  app.openapi(timeSeriesRoute, async (c) =>
    c.json(await campaignTimeSeries(tenantContext(c), c.req.valid("param").id, c.req.valid("query")), 200),
  );
}
