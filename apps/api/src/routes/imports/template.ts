import { createRoute, z } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import type { App } from "../../app";
import { importObjects } from "../../imports/objects";
import { importFieldsFor } from "../../imports/preview";
import { csvLines, csvResponse } from "../../lib/csv";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { TemplateQuerySchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/imports/template",
  operationId: "downloadImportTemplate",
  summary: "Download a CSV template for an object",
  description:
    "A header row with every field an import of the object can fill: the standard fields, then the organization's " +
    "custom fields. Uploaded back, every column maps itself.",
  tags: ["Imports"],
  ...access({ scope: "imports:read" }),
  request: { query: TemplateQuerySchema },
  responses: {
    200: {
      description: "The template",
      content: { "text/csv": { schema: z.string().openapi({ example: "First name,Last name,Email\n" }) } },
    },
    ...openApiErrorResponses(),
  },
});

export function registerDownloadImportTemplate(app: App): void {
  app.openapi(route, async (c) => {
    const { objectType } = c.req.valid("query");
    const { fields } = await importFieldsFor(tenantContext(c), objectType);
    return csvResponse(csvLines([fields.map((f) => f.label)]), `${importObjects[objectType].plural}-template.csv`);
  });
}
