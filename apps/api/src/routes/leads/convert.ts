import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { convertLead } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ConvertLeadBodySchema, LeadConversionSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/leads/{id}/convert",
  operationId: "convertLead",
  summary: "Convert a lead into a contact, a company and optionally a deal, in one transaction",
  description:
    "Links the company with the lead's (normalised) domain or creates one from its company name and domain; links the " +
    "contact with the lead's email or creates one (lifecycle `opportunity` when a deal opens); with `createDeal`, opens a " +
    "deal linked to both. `contactId`/`companyId` link given records instead (404 if unknown). Each record's timeline gets " +
    "a note-type activity saying it came from this lead, and the lead records `convertedAt` and the ids (its stage stays). " +
    "All or nothing; a lead already converted, or lost, is a 409.",
  tags: ["Leads"],
  ...access({ scope: "leads:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: ConvertLeadBodySchema } } },
  },
  responses: {
    201: {
      description: "What was created or linked",
      content: { "application/json": { schema: LeadConversionSchema } },
    },
    ...openApiErrorResponses([409]),
  },
});

export function registerConvertLead(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await convertLead(tenantContext(c), c.req.valid("param").id, c.req.valid("json")), 201),
  );
}
