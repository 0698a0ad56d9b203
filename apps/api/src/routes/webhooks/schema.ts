import { z } from "@hono/zod-openapi";
import { webhookAttemptOutcomes, webhookDeliveryStatuses } from "@crm/db";
import { domainEventTypes } from "@crm/services";
import { PageQuerySchema, pageOf } from "../../lib/pagination";

const idPattern = /^[a-z]+_[0-9a-z]+$/;

export const DeliveryParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(idPattern, "Not an id")
    .openapi({ param: { name: "id", in: "path" }, example: "wh_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
  deliveryId: z
    .string()
    .min(1)
    .max(64)
    .regex(idPattern, "Not an id")
    .openapi({ param: { name: "deliveryId", in: "path" }, example: "whmsg_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
});

const eventTypeList = ["*", ...domainEventTypes].map((t) => `\`${t}\``).join(", ");

export const WebhookSchema = z
  .object({
    id: z.string().openapi({ example: "wh_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    url: z.string().openapi({ example: "https://hooks.example.com/crm" }),
    description: z.string().nullable(),
    eventTypes: z.array(z.string()).openapi({ example: ["contact.created", "deal.won"] }),
    active: z.boolean(),
    consecutiveFailures: z
      .number()
      .int()
      .openapi({ description: "Deliveries that failed for good in a row; 5 disable the webhook" }),
    disabledAt: z.string().nullable().openapi({ description: "When it was disabled automatically" }),
    disabledReason: z.string().nullable(),
    previousSecretExpiresAt: z
      .string()
      .nullable()
      .openapi({ description: "After a rotation: until then the old secret signs alongside the new one" }),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Webhook");

export const WebhookWithSecretSchema = WebhookSchema.extend({
  secret: z.string().openapi({
    description: "The signing secret (Standard Webhooks, `whsec_` + base64). Shown here only: store it now.",
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  }),
}).openapi("WebhookWithSecret");

const EventTypeSchema = z
  .string()
  .min(1)
  .max(64)
  .openapi({ description: `One of ${eventTypeList}`, example: "contact.created" });

export const CreateWebhookBodySchema = z
  .strictObject({
    url: z.string().trim().min(1).max(2000).openapi({
      description: "https only, to a public host (http and local hosts are allowed in development)",
      example: "https://hooks.example.com/crm",
    }),
    eventTypes: z.array(EventTypeSchema).min(1, "Choose at least one event type").max(50),
    active: z.boolean().optional().openapi({ description: "Default true" }),
    description: z.string().trim().max(500).nullable().optional(),
  })
  .openapi("CreateWebhookRequest");

export const UpdateWebhookBodySchema = z
  .strictObject({
    url: z.string().trim().min(1).max(2000).optional(),
    eventTypes: z.array(EventTypeSchema).min(1, "Choose at least one event type").max(50).optional(),
    active: z
      .boolean()
      .optional()
      .openapi({ description: "true turns a disabled webhook back on and clears its failure count" }),
    description: z.string().trim().max(500).nullable().optional(),
  })
  .openapi("UpdateWebhookRequest");

export const WebhookPageSchema = pageOf(WebhookSchema, "WebhookPage");

export const WebhookAttemptSchema = z
  .object({
    attempt: z.number().int().openapi({ description: "1 for the first attempt" }),
    manual: z.boolean().openapi({ description: "Sent through the redeliver endpoint" }),
    url: z.string(),
    outcome: z.enum(webhookAttemptOutcomes).openapi({
      description: "`retrying`: another attempt is scheduled; `refused`: the URL is not allowed (never retried)",
    }),
    statusCode: z.number().int().nullable(),
    durationMs: z.number().int(),
    responseExcerpt: z.string().nullable().openapi({ description: "At most the first 1 KB of the response body" }),
    error: z.string().nullable(),
    nextRetryAt: z.string().nullable(),
    attemptedAt: z.string(),
  })
  .openapi("WebhookAttempt");

export const WebhookDeliverySchema = z
  .object({
    id: z.string().openapi({ description: "The `webhook-id` header: the same on every attempt" }),
    webhookId: z.string(),
    eventId: z.string(),
    eventType: z.string().openapi({ example: "deal.won" }),
    status: z.enum(webhookDeliveryStatuses),
    attemptCount: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()).openapi({ description: "The JSON body sent: type, timestamp, data" }),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
    attempts: z.array(WebhookAttemptSchema),
  })
  .openapi("WebhookDelivery");

export const WebhookDeliveryPageSchema = pageOf(WebhookDeliverySchema, "WebhookDeliveryPage");

export const DeliveryListQuerySchema = PageQuerySchema.extend({
  status: z
    .enum(webhookDeliveryStatuses)
    .optional()
    .openapi({ param: { name: "status", in: "query" } }),
});
