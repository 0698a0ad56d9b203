import { createRoute } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { openApiErrorResponses } from "@crm/errors";
import { requestPasswordReset } from "@crm/services";
import type { App } from "../../app";
import { enqueue } from "../../jobs/messages";
import { access } from "../../lib/route";
import { throttleByIp } from "./throttle";
import { PasswordResetAcceptedSchema, PasswordResetRequestSchema } from "./schema";

/** Requests per hour from one address: enough for typos, too few to spam someone's inbox. */
export const passwordResetRequestsPerHour = 10;

const route = createRoute({
  method: "post",
  path: "/api/v1/auth/password-reset",
  operationId: "requestPasswordReset",
  summary: "Email a single-use password reset link (valid 1 hour). Always 202: it does not tell who has an account.",
  tags: ["Auth"],
  ...access({ public: true }),
  request: { body: { required: true, content: { "application/json": { schema: PasswordResetRequestSchema } } } },
  responses: {
    202: { description: "Accepted", content: { "application/json": { schema: PasswordResetAcceptedSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerPasswordReset(app: App): void {
  app.openapi(route, async (c) => {
    await throttleByIp(c, "password-reset", passwordResetRequestsPerHour, 60 * 60 * 1000);
    const mail = await requestPasswordReset(createDb(c.env.DB), {
      email: c.req.valid("json").email,
      appUrl: c.env.APP_URL,
    });
    if (mail) await enqueue(c.env.JOBS, { type: "email.send", ...mail });
    return c.json({ message: "If an account exists for this email, a reset link is on its way" }, 202);
  });
}
