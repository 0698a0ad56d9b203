import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { findImport } from "@crm/services";
import type { App } from "../../app";
import { checkMapping, importFieldsFor, previewImport } from "../../imports/preview";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ImportPreviewSchema, PreviewBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/imports/{id}/preview",
  operationId: "previewImport",
  summary: "Preview an import under a mapping",
  description:
    "The first rows with what starting the import with this mapping and match key would do to each (create, update, " +
    "skip) or their errors. Writes nothing.",
  tags: ["Imports"],
  ...access({ scope: "imports:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: PreviewBodySchema } } },
  },
  responses: {
    200: { description: "The preview", content: { "application/json": { schema: ImportPreviewSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerPreviewImport(app: App): void {
  app.openapi(route, async (c) => {
    const ctx = tenantContext(c);
    const body = c.req.valid("json");
    const job = await findImport(ctx, c.req.valid("param").id);
    const { fields } = await importFieldsFor(ctx, job.objectType);
    const { mapping, matchKey } = checkMapping(job, fields, body.mapping, body.matchKey);
    return c.json(await previewImport(ctx, c.env.IMPORTS, job, mapping, matchKey), 200);
  });
}
