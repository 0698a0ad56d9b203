import { createRoute } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { openApiErrorResponses } from "@crm/errors";
import { acceptInvitation } from "@crm/services";
import type { App } from "../../app";
import { access } from "../../lib/route";
import { throttleByIp } from "../auth/throttle";
import { SessionSchema } from "../auth/schema";
import { AcceptInvitationBodySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/invitations/accept",
  operationId: "acceptInvitation",
  summary:
    "Accept an invitation with the emailed token. New email: give name and password to create the account. " +
    "Existing account: give its password. Returns a session in the invited organization.",
  tags: ["Invitations"],
  ...access({ public: true }),
  request: { body: { required: true, content: { "application/json": { schema: AcceptInvitationBodySchema } } } },
  responses: {
    201: {
      description: "Joined; a session in the invited tenant",
      content: { "application/json": { schema: SessionSchema } },
    },
    ...openApiErrorResponses([409, 410]),
  },
});

export function registerAcceptInvitation(app: App): void {
  app.openapi(route, async (c) => {
    // An existing account's password is checked here: keep guessing slow.
    await throttleByIp(c, "invitation-accept", 30, 15 * 60 * 1000);
    const { userId: _userId, ...session } = await acceptInvitation(
      { db: createDb(c.env.DB), requestId: c.get("requestId") },
      c.env.JWT_SECRET,
      c.req.valid("json"),
    );
    return c.json(session, 201);
  });
}
