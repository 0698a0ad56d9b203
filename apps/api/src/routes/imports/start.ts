import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { findImport, publicImport, startImport } from "@crm/services";
import type { App } from "../../app";
import { checkMapping, importFieldsFor } from "../../imports/preview";
import { firstChunk } from "../../imports/run";
import { enqueue } from "../../jobs/messages";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { ImportSchema, StartImportBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/imports/{id}/start",
  operationId: "startImport",
  summary: "Start an uploaded import",
  description:
    "Fixes the mapping, match key and policy, remembers the mapping for this tenant's next upload of the object, and " +
    "queues the import; it runs in the background in chunks of 1,000 rows. Deals name their pipeline and stage (map " +
    "columns to `pipeline` and `stage`); an unknown name is that row's error. A started import is a 409. Every " +
    "record it creates or updates gets its audit entry, but no `contact.created`/`updated` (or other record) " +
    "webhook event and no workflow trigger of its own: the import is announced once, by `import.completed` " +
    "(its counts), when it ends.",
  tags: ["Imports"],
  ...access({ scope: "imports:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: StartImportBodySchema } } },
  },
  responses: {
    202: { description: "Queued", content: { "application/json": { schema: ImportSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerStartImport(app: App): void {
  app.openapi(route, async (c) => {
    const ctx = tenantContext(c);
    const body = c.req.valid("json");
    const job = await findImport(ctx, c.req.valid("param").id);
    const { fields } = await importFieldsFor(ctx, job.objectType);
    const { mapping, matchKey } = checkMapping(job, fields, body.mapping, body.matchKey);
    const started = await startImport(ctx, job.id, { mapping, matchKey, policy: body.policy });
    await enqueue(c.env.JOBS, firstChunk(started));
    return c.json(publicImport(started), 202);
  });
}
