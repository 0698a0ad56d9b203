import { z } from "@hono/zod-openapi";
import { campaignStatuses } from "@crm/db";
import { PageQuerySchema, pageOf } from "../../lib/pagination";

const example = "cmp_01jc9x7d1q8m3v5n2k4p6r8t0w";

const AudienceSchema = z
  .record(z.string().max(80), z.union([z.string().max(200), z.array(z.string().max(200)).max(10)]))
  .refine((a) => Object.keys(a).length <= 30, "At most 30 filters")
  .openapi("CampaignAudience", {
    description:
      "The contacts to enroll, as GET /api/v1/contacts filters by name: q, ownerId, tag (one or a list), " +
      "createdFrom/createdTo/updatedFrom/updatedTo, lifecycleStage, leadStatus, source, companyId, " +
      "consentStatus, doNotContact, and `cf.<key>` (`cf.<key>.gte`/`.lte`) custom fields. `{}`: every contact.",
    example: { lifecycleStage: "lead", tag: ["webinar"] },
  });

const GoalSchema = z
  .strictObject({
    metric: z.enum(["replies", "meetings", "deals_won", "revenue"]),
    target: z.number().positive().max(1e12),
  })
  .openapi("CampaignGoal", { example: { metric: "replies", target: 25 } });

export const CampaignSchema = z
  .object({
    id: z.string().openapi({ example }),
    name: z.string().openapi({ example: "Q1 webinar follow-up" }),
    description: z.string().nullable(),
    sequenceId: z.string().openapi({ example: "seq_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    audience: AudienceSchema,
    goal: GoalSchema.nullable(),
    status: z.enum(campaignStatuses).openapi({
      description: "draft → running (start) ⇄ paused; completed once no enrollment is live",
    }),
    enrolled: z.number().int().openapi({ description: "Contacts the campaign enrolled" }),
    clonedFrom: z.string().nullable(),
    startedAt: z.string().nullable(),
    pausedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Campaign");

export const CampaignPageSchema = pageOf(CampaignSchema, "CampaignPage");

const name = z.string().trim().min(1, "Must not be empty").max(200);
const description = z.string().trim().max(2000).nullable().optional();
const sequenceId = z.string().min(1).max(64).openapi({ example: "seq_01jc9x7d1q8m3v5n2k4p6r8t0w" });

export const CreateCampaignBodySchema = z
  .strictObject({
    name,
    description,
    sequenceId,
    audience: AudienceSchema,
    goal: GoalSchema.nullable().optional(),
  })
  .openapi("CreateCampaignRequest");

export const UpdateCampaignBodySchema = z
  .strictObject({
    name: name.optional(),
    description,
    sequenceId: sequenceId.optional().openapi({ description: "Drafts only" }),
    audience: AudienceSchema.optional().openapi({ description: "Drafts only" }),
    goal: GoalSchema.nullable().optional(),
  })
  .openapi("UpdateCampaignRequest");

export const CloneCampaignBodySchema = z
  .strictObject({ name: name.optional().openapi({ description: 'Default "<name> (copy)"' }) })
  .openapi("CloneCampaignRequest");

export const CampaignListQuerySchema = PageQuerySchema.extend({
  q: z
    .string()
    .max(200)
    .optional()
    .openapi({ param: { name: "q", in: "query" }, description: "Part of the name" }),
  status: z
    .enum(campaignStatuses)
    .optional()
    .openapi({ param: { name: "status", in: "query" } }),
  sequenceId: z
    .string()
    .max(64)
    .optional()
    .openapi({ param: { name: "sequenceId", in: "query" } }),
});

export const StartCampaignResultSchema = z
  .object({
    campaign: CampaignSchema,
    matched: z.number().int().openapi({ description: "Contacts the audience matched" }),
    enrolled: z.number().int(),
    alreadyEnrolled: z.number().int().openapi({ description: "Already live in the sequence: left as they are" }),
    skipped: z.array(z.object({ contactId: z.string(), reason: z.enum(["do_not_contact", "opted_out"]) })),
  })
  .openapi("StartCampaignResult");

const count = z.number().int().nonnegative();
const messageCounts = {
  sent: count,
  delivered: count.openapi({ description: "Sent without a bounce" }),
  opened: count,
  clicked: count,
  replied: count,
  bounced: count,
  unsubscribed: count,
  skipped: count.openapi({ description: "Not sent for consent or suppression (reason on the message)" }),
  failed: count,
};
const outcome = {
  converted: count.openapi({
    description: "Contacts that became customers or won a deal after enrolling",
  }),
  revenue: z
    .number()
    .openapi({ description: "Value of their deals won after enrolling (as stored, no currency conversion)" }),
};

const TotalsSchema = z.object({ enrolled: count, ...messageCounts, ...outcome }).openapi("CampaignTotals");

const RatesSchema = z
  .object({
    deliveryRate: z.number().openapi({ description: "delivered / sent" }),
    openRate: z.number().openapi({ description: "opened / delivered" }),
    clickRate: z.number().openapi({ description: "clicked / delivered" }),
    replyRate: z.number().openapi({ description: "replied / delivered" }),
    bounceRate: z.number().openapi({ description: "bounced / sent" }),
    unsubscribeRate: z.number().openapi({ description: "unsubscribed / delivered" }),
    conversionRate: z.number().openapi({ description: "converted / enrolled" }),
  })
  .openapi("CampaignRates", { description: "Fractions from 0 to 1, four decimals; 0 when the base is 0" });

export const CampaignAnalyticsSchema = z
  .object({
    campaignId: z.string(),
    totals: TotalsSchema,
    rates: RatesSchema,
    steps: z.array(
      z.object({
        stepId: z.string(),
        position: z.number().int(),
        channel: z.string(),
        removed: z.boolean().openapi({ description: "Removed from the sequence after it sent" }),
        variants: z.array(
          z.object({
            key: z.string().openapi({ example: "A" }),
            weight: z.number().nullable(),
            subject: z.string().nullable(),
            ...messageCounts,
            ...outcome,
          }),
        ),
      }),
    ),
    funnel: z
      .array(
        z.object({
          stage: z.enum(["enrolled", "sent", "opened", "clicked", "replied", "converted"]),
          contacts: count,
        }),
      )
      .openapi({ description: "Distinct contacts reaching each stage" }),
  })
  .openapi("CampaignAnalytics");

const day = z.iso.date();
export const TimeSeriesQuerySchema = z.object({
  from: day.optional().openapi({
    param: { name: "from", in: "query" },
    example: "2026-11-01",
    description: "First UTC day; default the campaign's start",
  }),
  to: day.optional().openapi({ param: { name: "to", in: "query" }, description: "Last UTC day; default today" }),
});

export const CampaignTimeSeriesSchema = z
  .object({
    campaignId: z.string(),
    from: z.string(),
    to: z.string(),
    days: z.array(
      z.object({
        date: z.string().openapi({ example: "2026-11-02" }),
        sent: count,
        delivered: count,
        opened: count,
        clicked: count,
        replied: count,
        bounced: count,
        unsubscribed: count,
      }),
    ),
  })
  .openapi("CampaignTimeSeries");

export const CompareQuerySchema = z.object({
  ids: z
    .string()
    .max(700)
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().regex(/^cmp_[0-9a-z]+$/, "Not a campaign id"))
        .min(2, "Name 2 to 10 campaigns")
        .max(10, "Name 2 to 10 campaigns"),
    )
    .openapi({
      param: { name: "ids", in: "query" },
      example: "cmp_01jc9x7d1q8m3v5n2k4p6r8t0w,cmp_01jc9x8a2b3c4d5e6f7g8h9j0k",
      description: "2 to 10 campaign ids, comma-separated",
      type: "string",
    }),
});

export const CampaignComparisonSchema = z
  .object({
    data: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        status: z.enum(campaignStatuses),
        startedAt: z.string().nullable(),
        totals: TotalsSchema,
        rates: RatesSchema,
      }),
    ),
  })
  .openapi("CampaignComparison");

export const TestSendBodySchema = z
  .strictObject({
    contactId: z
      .string()
      .min(1)
      .max(64)
      .openapi({ description: "Whose data fills the tokens", example: "ct_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    to: z.email().max(254).openapi({ description: "Where the test goes (not the contact)", example: "me@example.com" }),
    variantKey: z
      .string()
      .min(1)
      .max(20)
      .optional()
      .openapi({ description: "Step 1's variant; default its first", example: "B" }),
  })
  .openapi("CampaignTestSendRequest");

export const TestSendResultSchema = z
  .object({
    messageId: z.string().openapi({ example: "om_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    to: z.string(),
    from: z.string().nullable().openapi({ description: "The mailbox's address; null for the dev outbox" }),
    subject: z.string().openapi({ example: "[Test] Hi Ada" }),
    text: z.string(),
    stepId: z.string(),
    variantKey: z.string(),
    transport: z.string().openapi({ example: "dev-outbox" }),
    sentAt: z.string(),
  })
  .openapi("CampaignTestSendResult");
