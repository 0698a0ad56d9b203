import { createRoute } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { openApiErrorResponses } from "@crm/errors";
import { mailTransportFor, testSendCampaign } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { IdParamSchema } from "../../lib/pagination";
import { access } from "../../lib/route";
import { TestSendBodySchema, TestSendResultSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/campaigns/{id}/test-send",
  operationId: "testSendCampaign",
  summary: "Send step 1, rendered for a contact, to an address of yours (not counted in analytics)",
  description:
    "Goes through the mailbox the campaign sends from (the dev outbox without one); the subject starts " +
    "with [Test]. 422 at `body.contactId` for a contact not in the tenant, `body.variantKey` for a variant " +
    "step 1 lacks; 409 when the sequence has no steps or step 1 is not an email.",
  tags: ["Campaigns"],
  ...access({ scope: "campaigns:write" }),
  request: {
    params: IdParamSchema,
    body: { required: true, content: { "application/json": { schema: TestSendBodySchema } } },
  },
  responses: {
    200: { description: "Sent", content: { "application/json": { schema: TestSendResultSchema } } },
    ...openApiErrorResponses([409]),
  },
});

export function registerCampaignTestSend(app: App): void {
  app.openapi(route, async (c) => {
    const deps = { secretsKey: c.env.SECRETS_KEY, db: createDb(c.env.DB) };
    const result = await testSendCampaign(tenantContext(c), c.req.valid("param").id, c.req.valid("json"), (mailbox) =>
      mailTransportFor(deps, mailbox),
    );
    return c.json(result, 200);
  });
}
