import { z } from "@hono/zod-openapi";

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "An E.164 number: + and 7 to 15 digits, e.g. +14155550100");

export const TwilioAccountSchema = z
  .object({
    accountSid: z.string().openapi({ example: "AC0123456789abcdef0123456789abcdef" }),
    fromNumber: z.string().openapi({ example: "+14155550100" }),
    whatsappFrom: z.string().nullable().openapi({ example: "+14155550101" }),
    apiBaseUrl: z.string().nullable().openapi({ description: "null: Twilio's API" }),
    hasAuthToken: z.literal(true).openapi({ description: "The auth token is stored (it is never shown)" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("TwilioAccount");

export const TwilioSettingsSchema = z
  .object({
    configured: z
      .boolean()
      .openapi({ description: "false: SMS, WhatsApp and call steps are skipped (channel_not_configured)" }),
    account: TwilioAccountSchema.nullable(),
  })
  .openapi("TwilioSettings");

export const PutTwilioAccountBodySchema = z
  .strictObject({
    accountSid: z
      .string()
      .regex(/^AC[0-9a-f]{32}$/, "A Twilio account SID: AC and 32 hex digits")
      .openapi({ example: "AC0123456789abcdef0123456789abcdef" }),
    authToken: z.string().min(16).max(200).optional().openapi({
      description: "Write-only (sealed with AES-GCM). Required the first time; omitted later: kept",
    }),
    fromNumber: e164.openapi({ description: "Sender for SMS and calls", example: "+14155550100" }),
    whatsappFrom: e164
      .nullable()
      .optional()
      .openapi({ description: "WhatsApp sender; without one WhatsApp steps are skipped" }),
    apiBaseUrl: z.string().trim().min(1).max(2000).nullable().optional().openapi({
      description: "Default https://api.twilio.com; https and a public host outside development",
    }),
  })
  .openapi("PutTwilioAccountRequest");
