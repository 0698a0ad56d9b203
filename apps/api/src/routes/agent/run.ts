import { createRoute } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { openApiErrorResponses } from "@crm/errors";
import { runPipelineAgent } from "@crm/services";
import type { App } from "../../app";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { AgentRunBodySchema, AgentRunSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/ai/agent/run",
  operationId: "runPipelineAgent",
  summary: "Run the pipeline agent now over the due deals (or one deal) and answer its decisions",
  description:
    "In `act` mode each decision is carried out (stage move, follow-up email through the organization's mailbox, " +
    "a review task and notification for the deal's owner, or the next action date); in `suggest` mode it is only " +
    "logged. 409 while the agent is off; 404 for a deal that is unknown, another organization's or hidden from you.",
  tags: ["AI"],
  ...access({ scope: "ai:write", role: "admin" }),
  request: { body: { required: false, content: { "application/json": { schema: AgentRunBodySchema } } } },
  responses: {
    200: { description: "The run and its decisions", content: { "application/json": { schema: AgentRunSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerRunAgent(app: App): void {
  app.openapi(route, async (c) => {
    const ctx = tenantContext(c);
    const body = c.req.valid("json") ?? {};
    const run = await runPipelineAgent(
      ctx,
      {
        db: createDb(c.env.DB),
        secretsKey: c.env.SECRETS_KEY,
        publicApiUrl: c.env.PUBLIC_API_URL,
        inboundDomain: c.env.INBOUND_DOMAIN,
      },
      { now: new Date(), dealId: body.dealId, triggeredBy: ctx.actor.id },
    );
    return c.json(run, 200);
  });
}
