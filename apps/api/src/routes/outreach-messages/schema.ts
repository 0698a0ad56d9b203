import { z } from "@hono/zod-openapi";
import { outreachEventTypes, outreachMessageStatuses, replyClassifications, stepChannels } from "@crm/db";
import { PageQuerySchema, pageOf } from "../../lib/pagination";
import { ReplyAiClassSchema } from "../ai/schema";

const id = (example: string) => z.string().nullable().openapi({ example });
const time = z.string().nullable().openapi({ example: "2026-12-01T10:00:00.000Z" });

export const OutreachMessageSummarySchema = z
  .object({
    id: z.string().openapi({ example: "om_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    channel: z.enum(stepChannels),
    status: z.enum(outreachMessageStatuses).openapi({ example: "sent" }),
    skipReason: z.string().nullable().openapi({ example: "do_not_contact" }),
    error: z.string().nullable(),
    contactId: id("ct_01jc9x7d1q8m3v5n2k4p6r8t0w"),
    enrollmentId: id("enr_01jc9x7d1q8m3v5n2k4p6r8t0w"),
    sequenceId: id("seq_01jc9x7d1q8m3v5n2k4p6r8t0w"),
    stepId: id("sqs_01jc9x7d1q8m3v5n2k4p6r8t0w"),
    variantKey: z.string().nullable().openapi({ example: "A" }),
    campaignId: id("cmp_01jc9x7d1q8m3v5n2k4p6r8t0w"),
    mailboxId: id("mbx_01jc9x7d1q8m3v5n2k4p6r8t0w"),
    fromAddress: z.string().nullable().openapi({ example: "sam@vendor.example" }),
    toAddress: z.string().openapi({ example: "ana@acme.example" }),
    subject: z.string().nullable().openapi({ example: "Quick question, Ana" }),
    messageIdHeader: z.string().nullable(),
    providerMessageId: z.string().nullable(),
    transport: z.string().nullable().openapi({ example: "smtp" }),
    scheduledFor: time,
    sentAt: time,
    deliveredAt: time,
    firstOpenedAt: time,
    firstClickedAt: time,
    repliedAt: time,
    bouncedAt: time,
    unsubscribedAt: time,
    openCount: z.number().int(),
    clickCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("OutreachMessageSummary");

export const OutreachMessagePageSchema = pageOf(OutreachMessageSummarySchema, "OutreachMessagePage");

export const OutreachMessageSchema = OutreachMessageSummarySchema.extend({
  text: z.string(),
  html: z.string().nullable(),
  events: z.array(
    z
      .object({
        id: z.string().openapi({ example: "oev_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
        type: z.enum(outreachEventTypes),
        detail: z
          .string()
          .nullable()
          .openapi({ description: "Clicks: the link; bounces: the diagnostic; replies: the classification" }),
        occurredAt: z.string(),
      })
      .openapi("OutreachEvent"),
  ),
  replies: z.array(
    z
      .object({
        id: z.string().openapi({ example: "inb_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
        fromAddress: z.string(),
        subject: z.string().nullable(),
        text: z.string().nullable(),
        classification: z.enum(replyClassifications),
        classificationReason: z.string().openapi({ example: "shows interest" }),
        ai: ReplyAiClassSchema.nullable().openapi({
          description: "The AI engine's class, confidence and suggested action (null until classified)",
        }),
        receivedAt: z.string(),
      })
      .openapi("InboundReply"),
  ),
}).openapi("OutreachMessage");

const idFilter = (name: string, example: string) =>
  z
    .string()
    .max(64)
    .regex(/^[a-z]+_[0-9a-z]+$/, "Not an id")
    .optional()
    .openapi({ param: { name, in: "query" }, example });

export const OutreachMessageListQuerySchema = PageQuerySchema.extend({
  status: z
    .enum(outreachMessageStatuses)
    .optional()
    .openapi({ param: { name: "status", in: "query" }, example: "skipped" }),
  sequenceId: idFilter("sequenceId", "seq_01jc9x7d1q8m3v5n2k4p6r8t0w"),
  campaignId: idFilter("campaignId", "cmp_01jc9x7d1q8m3v5n2k4p6r8t0w"),
  contactId: idFilter("contactId", "ct_01jc9x7d1q8m3v5n2k4p6r8t0w"),
});
