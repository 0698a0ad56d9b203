import { createRoute, z } from "@hono/zod-openapi";
import { recordClick } from "@crm/services";
import type { App } from "../../app";
import { access } from "../../lib/route";
import { trackingContext } from "./context";
import { page, pageHeaders, paragraph } from "./pages";

const route = createRoute({
  method: "get",
  path: "/t/c/{token}",
  operationId: "trackClick",
  summary: "Tracked link of an outreach email: records the click, redirects to the signed URL",
  description:
    "The token carries the message and the destination, signed (HMAC-SHA256 under SECRETS_KEY). Only a token " +
    "that verifies redirects, and only to the URL it carries: anything else is a 400 page, never a redirect.",
  tags: ["Tracking"],
  ...access({ public: true }),
  request: {
    params: z.object({
      token: z
        .string()
        .max(4000)
        .openapi({
          param: { name: "token", in: "path" },
          example: "c.tn_01jc….om_01jc….aHR0cHM6Ly9hY21lLmV4YW1wbGU.Xy3…",
        }),
    }),
  },
  responses: {
    302: { description: "To the link's destination (Location)" },
    400: { description: "The link is not one we signed", content: { "text/html": { schema: z.string() } } },
  },
});

export function registerTrackClick(app: App): void {
  app.openapi(route, async (c) => {
    const tracking = trackingContext(c, c.req.valid("param").token, "click");
    if (!tracking) {
      return new Response(page("This link is not valid", paragraph("The link may have been altered or cut short.")), {
        status: 400,
        headers: pageHeaders,
      });
    }
    const url = tracking.payload.url!;
    await recordClick(tracking.ctx, tracking.payload.messageId, url, new Date());
    tracking.dispatch();
    return new Response(null, {
      status: 302,
      headers: { location: url, "cache-control": "no-store", "referrer-policy": "no-referrer" },
    });
  });
}
