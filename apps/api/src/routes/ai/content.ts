import { createRoute } from "@hono/zod-openapi";
import { openApiErrorResponses } from "@crm/errors";
import { generateContentFor } from "@crm/services";
import type { App } from "../../app";
import { aiProviders } from "../../lib/ai";
import { tenantContext } from "../../lib/context";
import { access } from "../../lib/route";
import { GenerateContentBodySchema, GeneratedContentSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/ai/content",
  operationId: "generateContent",
  summary: "An email, SMS (160 characters) or social post for a contact, from a template, in a tone",
  description:
    "The template is a sequence step's variant (`templateId`, `variantKey`) or typed in (`template`); its " +
    "`{{contact.firstName|there}}` tokens are filled from the contact, its company, the deal (`dealId`, default the " +
    "contact's newest open deal) and the default mailbox's sender. The answer lists the facts used, the fallbacks and " +
    "every rule that changed a word. The generation is stored as an AI output (`outputId`) to rate; nothing is sent.",
  tags: ["AI"],
  ...access({ scope: "ai:read" }),
  request: { body: { required: true, content: { "application/json": { schema: GenerateContentBodySchema } } } },
  responses: {
    200: { description: "The content", content: { "application/json": { schema: GeneratedContentSchema } } },
    ...openApiErrorResponses(),
  },
});

export function registerGenerateContent(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await generateContentFor(tenantContext(c), aiProviders(c), c.req.valid("json")), 200),
  );
}
