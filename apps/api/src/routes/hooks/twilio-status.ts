import { createDb } from "@crm/db";
import { applyTwilioStatusCallback } from "@crm/services";
import type { App } from "../../app";
import { problemResponse } from "../../lib/problem";

/**
 * Twilio's status callbacks (form-encoded POSTs, outside /api/v1: no API credentials, the
 * X-Twilio-Signature under the tenant's auth token is the authentication). 204 when recorded
 * or already recorded, so Twilio stops retrying.
 */
export function registerTwilioStatusHook(app: App): void {
  app.post("/hooks/twilio/:tenantId/status", async (c) => {
    const tenantId = c.req.param("tenantId");
    if (!/^[a-z]+_[0-9a-z]+$/.test(tenantId)) return problemResponse(c, "NOT_FOUND", "No such callback");
    const form = await c.req.parseBody();
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(form)) if (typeof value === "string") params[name] = value;
    await applyTwilioStatusCallback(createDb(c.env.DB), c.env.SECRETS_KEY, {
      tenantId,
      url: c.req.url,
      params,
      signature: c.req.header("x-twilio-signature"),
    });
    return c.body(null, 204);
  });
}
