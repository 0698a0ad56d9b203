import { z } from "@hono/zod-openapi";
import { OutreachMessageSchema } from "../outreach-messages/schema";

const id = (example: string) =>
  z
    .string()
    .max(64)
    .regex(/^[a-z]+_[0-9a-z]+$/, "Not an id")
    .openapi({ example });

export const SendEmailBodySchema = z
  .object({
    contactId: id("ct_01jc9x7d1q8m3v5n2k4p6r8t0w"),
    mailboxId: id("mbx_01jc9x7d1q8m3v5n2k4p6r8t0w")
      .optional()
      .openapi({ description: "The mailbox to send from; the organization's default when omitted" }),
    subject: z
      .string()
      .trim()
      .min(1, "Write a subject")
      .max(500)
      .regex(/^[^\r\n]*$/, "A subject is one line")
      .openapi({ example: "Quick idea for Acme" }),
    body: z
      .string()
      .max(100_000)
      .refine((text) => text.trim() !== "", "Write the message")
      .openapi({ description: "The text part (the unsubscribe link is added below it)", example: "Hi Ana, …" }),
    html: z
      .string()
      .min(1)
      .max(200_000)
      .optional()
      .openapi({ description: "An HTML part; without it the text is sent as HTML too" }),
    dealId: id("deal_01jc9x7d1q8m3v5n2k4p6r8t0w")
      .optional()
      .openapi({ description: "The deal it is about: the email is logged on the deal's timeline" }),
    trackOpens: z.boolean().default(true).openapi({ description: "Add the open pixel to the HTML part" }),
    trackClicks: z.boolean().default(true).openapi({ description: "Send links through signed click redirects" }),
  })
  .openapi("SendEmailRequest");

export const SentEmailSchema = z
  .object({
    message: OutreachMessageSchema,
    delivery: z.enum(["mailbox", "dev_outbox"]).openapi({
      description:
        "`dev_outbox`: no mailbox (or a dev outbox mailbox) — the message was kept in the dev outbox, not delivered",
    }),
    notice: z
      .string()
      .nullable()
      .openapi({ description: "What happened instead of delivery, when the message went to the dev outbox" }),
  })
  .openapi("SentEmail");
