import { createRoute } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { openApiErrorResponses } from "@crm/errors";
import { createInvitation } from "@crm/services";
import type { App } from "../../app";
import { enqueue } from "../../jobs/messages";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { CreateInvitationBodySchema, InvitationSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/invitations",
  operationId: "createInvitation",
  summary: "Invite someone by email (owner/admin); the link is emailed, never returned",
  tags: ["Invitations"],
  ...access({ scope: "invitations:write", role: "admin" }),
  request: { body: { required: true, content: { "application/json": { schema: CreateInvitationBodySchema } } } },
  responses: {
    201: {
      description: "Invitation created and its email queued",
      content: { "application/json": { schema: InvitationSchema } },
    },
    ...openApiErrorResponses([409]),
  },
});

export function registerCreateInvitation(app: App): void {
  app.openapi(route, async (c) => {
    const { invitation, mail } = await createInvitation(tenantContext(c), createDb(c.env.DB), {
      ...c.req.valid("json"),
      appUrl: c.env.APP_URL,
    });
    // After the batch: the email must never carry a link to an invitation that was not stored.
    await enqueue(c.env.JOBS, { type: "email.send", ...mail });
    return c.json(invitation, 201);
  });
}
