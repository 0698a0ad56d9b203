import { createRoute, z } from "@hono/zod-openapi";
import { recordOpen } from "@crm/services";
import type { App } from "../../app";
import { access } from "../../lib/route";
import { trackingContext } from "./context";

// A transparent 1x1 GIF (42 bytes).
const pixel = Uint8Array.from(atob("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"), (ch) =>
  ch.charCodeAt(0),
);

const route = createRoute({
  method: "get",
  path: "/t/o/{token}",
  operationId: "trackOpen",
  summary: "Open pixel of an outreach email (1x1 GIF)",
  description:
    "Loaded by the recipient's mail client: `{token}` is the signed open token plus `.gif`. The first load " +
    "marks the message opened (`email.opened`); every load counts. Always answers the GIF, never cached, so a " +
    "bad token learns nothing.",
  tags: ["Tracking"],
  ...access({ public: true }),
  request: {
    params: z.object({
      token: z
        .string()
        .max(400)
        .openapi({ param: { name: "token", in: "path" }, example: "o.tn_01jc….om_01jc….Xy3….gif" }),
    }),
  },
  responses: {
    200: {
      description: "A transparent 1x1 GIF",
      content: { "image/gif": { schema: z.string().openapi({ format: "binary" }) } },
    },
  },
});

export function registerTrackOpen(app: App): void {
  app.openapi(route, async (c) => {
    const token = c.req.valid("param").token.replace(/\.gif$/i, "");
    const tracking = trackingContext(c, token, "open");
    if (tracking) {
      await recordOpen(tracking.ctx, tracking.payload.messageId, new Date());
      tracking.dispatch();
    }
    return new Response(pixel, {
      status: 200,
      headers: {
        "content-type": "image/gif",
        "cache-control": "no-store, max-age=0",
        "content-length": String(pixel.length),
      },
    });
  });
}
