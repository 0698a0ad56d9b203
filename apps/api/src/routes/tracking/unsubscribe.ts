import { createRoute, z } from "@hono/zod-openapi";
import { findMessageById, unsubscribeMessageRecipient } from "@crm/services";
import type { App } from "../../app";
import { access } from "../../lib/route";
import { trackingContext } from "./context";
import { page, pageHeaders, paragraph, unsubscribeForm } from "./pages";

const params = z.object({
  token: z
    .string()
    .max(400)
    .openapi({ param: { name: "token", in: "path" }, example: "u.tn_01jc….om_01jc….Xy3…" }),
});
const html = (status: 200 | 400 | 404, title: string, body: string) =>
  new Response(page(title, body), { status, headers: pageHeaders });
const invalid = () =>
  html(400, "This unsubscribe link is not valid", paragraph("The link may have been altered or cut short."));

const showRoute = createRoute({
  method: "get",
  path: "/t/u/{token}",
  operationId: "showUnsubscribe",
  summary: "Unsubscribe page: asks the recipient to confirm (a GET never unsubscribes: link scanners follow links)",
  tags: ["Tracking"],
  ...access({ public: true }),
  request: { params },
  responses: {
    200: { description: "The confirm page", content: { "text/html": { schema: z.string() } } },
    400: { description: "The link is not one we signed", content: { "text/html": { schema: z.string() } } },
  },
});

const confirmRoute = createRoute({
  method: "post",
  path: "/t/u/{token}",
  operationId: "unsubscribe",
  summary: "Unsubscribe (RFC 8058 one-click, or the confirm page's button)",
  description:
    "Body `List-Unsubscribe=One-Click` (application/x-www-form-urlencoded or multipart/form-data). Opts the " +
    "contact out, suppresses the address, ends the contact's enrollments and records `contact.unsubscribed`. " +
    "Repeating it changes nothing.",
  tags: ["Tracking"],
  ...access({ public: true }),
  request: { params },
  responses: {
    200: { description: "Unsubscribed (or already)", content: { "text/html": { schema: z.string() } } },
    400: {
      description: "Not a one-click request, or a link we did not sign",
      content: { "text/html": { schema: z.string() } },
    },
    404: { description: "The message no longer exists", content: { "text/html": { schema: z.string() } } },
  },
});

async function isOneClickBody(request: Request): Promise<boolean> {
  const type = request.headers.get("content-type") ?? "";
  if (!/application\/x-www-form-urlencoded|multipart\/form-data/i.test(type)) return false;
  try {
    const form = await request.formData();
    return form.get("List-Unsubscribe") === "One-Click";
  } catch {
    return false;
  }
}

export function registerUnsubscribe(app: App): void {
  app.openapi(showRoute, async (c) => {
    const tracking = trackingContext(c, c.req.valid("param").token, "unsubscribe");
    if (!tracking) return invalid();
    const message = await findMessageById(tracking.ctx, tracking.payload.messageId);
    if (message?.unsubscribedAt) {
      return html(200, "You are unsubscribed", paragraph(`${message.toAddress} will not receive these emails again.`));
    }
    return html(200, "Unsubscribe", unsubscribeForm(message?.toAddress ?? null));
  });

  app.openapi(confirmRoute, async (c) => {
    const tracking = trackingContext(c, c.req.valid("param").token, "unsubscribe");
    if (!tracking) return invalid();
    if (!(await isOneClickBody(c.req.raw))) {
      return html(
        400,
        "Nothing was changed",
        paragraph("Send the form body List-Unsubscribe=One-Click to unsubscribe."),
      );
    }
    const fromPage = (c.req.header("sec-fetch-mode") ?? "") === "navigate";
    const result = await unsubscribeMessageRecipient(
      tracking.ctx,
      tracking.payload.messageId,
      new Date(),
      fromPage ? "unsubscribe_link" : "one_click",
    );
    tracking.dispatch();
    if (!result) {
      return html(404, "This message no longer exists", paragraph("There is nothing left to unsubscribe from."));
    }
    return html(
      200,
      "You are unsubscribed",
      paragraph(`${result.message.toAddress} will not receive these emails again.`),
    );
  });
}
