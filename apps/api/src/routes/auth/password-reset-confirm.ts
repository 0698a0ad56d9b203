import { createRoute } from "@hono/zod-openapi";
import { createDb } from "@crm/db";
import { openApiErrorResponses } from "@crm/errors";
import { confirmPasswordReset } from "@crm/services";
import type { App } from "../../app";
import { access } from "../../lib/route";
import { throttleByIp } from "./throttle";
import { PasswordResetConfirmSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/auth/password-reset/confirm",
  operationId: "confirmPasswordReset",
  summary: "Set a new password with the emailed token; ends every session of the account",
  tags: ["Auth"],
  ...access({ public: true }),
  request: { body: { required: true, content: { "application/json": { schema: PasswordResetConfirmSchema } } } },
  responses: {
    204: { description: "Password changed; log in with the new one" },
    ...openApiErrorResponses([410]),
  },
});

export function registerPasswordResetConfirm(app: App): void {
  app.openapi(route, async (c) => {
    // Tokens carry 256 bits, so this only keeps scrypt from being used to burn CPU.
    await throttleByIp(c, "password-reset-confirm", 30, 15 * 60 * 1000);
    await confirmPasswordReset(createDb(c.env.DB), c.req.valid("json"));
    return c.body(null, 204);
  });
}
