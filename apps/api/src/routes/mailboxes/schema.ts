import { z } from "@hono/zod-openapi";
import { mailboxTransports } from "@crm/db";
import { pageOf } from "../../lib/pagination";

const SettingsSchema = z
  .strictObject({
    host: z.string().trim().min(1).max(253).optional().openapi({ description: "smtp", example: "smtp.example.com" }),
    port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .optional()
      .openapi({ description: "smtp (25 is blocked on Workers)", example: 587 }),
    security: z.enum(["tls", "starttls", "none"]).optional().openapi({
      description:
        "smtp: `tls` from the first byte (465), `starttls` upgrade after EHLO (587, the default), `none` plain",
    }),
    username: z
      .string()
      .min(1)
      .max(254)
      .optional()
      .openapi({ description: "smtp AUTH user", example: "sales@example.com" }),
    apiBaseUrl: z.string().trim().min(1).max(2000).optional().openapi({
      description:
        "postmark: the API's base URL (default https://api.postmarkapp.com); https and a public host outside development",
    }),
    messageStream: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "postmark: default `outbound`" }),
  })
  .openapi("MailboxSettings", { description: "Non-secret transport settings; keys of other transports are dropped" });

const CredentialsSchema = z
  .strictObject({
    password: z.string().min(1).max(1000).optional().openapi({ description: "smtp: the AUTH password" }),
    serverToken: z.string().min(1).max(1000).optional().openapi({ description: "postmark: the server API token" }),
  })
  .openapi("MailboxCredentials", {
    description: "Write-only: sealed with AES-GCM at rest and never returned (see `hasCredentials`)",
  });

export const MailboxSchema = z
  .object({
    id: z.string().openapi({ example: "mbx_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    name: z.string().openapi({ example: "Sales (Ada)" }),
    fromAddress: z.string().openapi({ example: "ada@example.com" }),
    fromName: z.string().nullable().openapi({ example: "Ada Lovelace" }),
    transport: z.enum(mailboxTransports),
    settings: z
      .record(z.string(), z.unknown())
      .openapi({ example: { host: "smtp.example.com", port: 587, security: "starttls", username: "ada@example.com" } }),
    hasCredentials: z.boolean().openapi({ description: "Credentials are stored (they are never shown)" }),
    dailyCap: z.number().int().openapi({ description: "Most sends per UTC day", example: 200 }),
    minSpacingSeconds: z.number().int().openapi({ description: "Least seconds between two sends", example: 60 }),
    isDefault: z.boolean().openapi({ description: "Sequences without a mailbox send through the default" }),
    lastSentAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Mailbox");

export const MailboxPageSchema = pageOf(MailboxSchema, "MailboxPage");

const common = {
  fromName: z.string().trim().max(200).nullable().optional(),
  settings: SettingsSchema.optional(),
  credentials: CredentialsSchema.optional(),
  dailyCap: z.number().int().min(1).max(100_000).optional().openapi({ description: "Default 200" }),
  minSpacingSeconds: z.number().int().min(0).max(86_400).optional().openapi({ description: "Default 60" }),
  isDefault: z.boolean().optional().openapi({
    description:
      "true makes it the tenant's default (the previous default stops being one); a tenant's first mailbox is its default",
  }),
};

export const CreateMailboxBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).openapi({ example: "Sales (Ada)" }),
    fromAddress: z.email().max(254).openapi({ example: "ada@example.com" }),
    transport: z.enum(mailboxTransports).openapi({ example: "smtp" }),
    ...common,
  })
  .openapi("CreateMailboxRequest", {
    example: {
      name: "Sales (Ada)",
      fromAddress: "ada@example.com",
      fromName: "Ada Lovelace",
      transport: "smtp",
      settings: { host: "smtp.example.com", port: 587, security: "starttls", username: "ada@example.com" },
      credentials: { password: "app-password" },
    },
  });

export const UpdateMailboxBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    fromAddress: z.email().max(254).optional(),
    transport: z.enum(mailboxTransports).optional().openapi({
      description: "Switching transport drops the old settings and credentials: send the new ones",
    }),
    ...common,
  })
  .openapi("UpdateMailboxRequest", {
    description: "`settings` and `credentials` each replace the stored ones as a whole when sent; omitted: kept",
    example: { credentials: { password: "new-app-password" } },
  });

export const TestMailboxBodySchema = z
  .strictObject({ to: z.email().max(254).openapi({ example: "me@example.com" }) })
  .openapi("TestMailboxRequest");

export const MailboxTestResultSchema = z
  .object({
    delivered: z.literal(true).openapi({ description: "The server or provider accepted the message" }),
    transport: z.enum(mailboxTransports),
    to: z.string(),
    messageId: z.string().openapi({
      description: "The provider's id: the outbox row (dev), the Message-ID header (smtp), Postmark's MessageID",
    }),
  })
  .openapi("MailboxTestResult");
