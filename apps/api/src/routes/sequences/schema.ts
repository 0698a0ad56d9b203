import { z } from "@hono/zod-openapi";
import {
  consentStatuses,
  delayUnits,
  enrollmentExitReasons,
  enrollmentSources,
  enrollmentStatuses,
  lifecycleStages,
  sequenceStatuses,
  stepChannels,
} from "@crm/db";
import { PageQuerySchema, pageOf } from "../../lib/pagination";

const id = (example: string) => z.string().min(1).max(64).openapi({ example });

const VariantSchema = z
  .strictObject({
    key: z.string().trim().min(1).max(20).openapi({ example: "A" }),
    weight: z
      .number()
      .int()
      .min(0)
      .max(100)
      .openapi({ example: 50, description: "Share of sends; a step's weights sum to 100" }),
    subject: z
      .string()
      .max(500)
      .nullable()
      .optional()
      .openapi({ example: "Quick question, {{contact.firstName|there}}", description: "Required for email steps" }),
    body: z.string().min(1).max(20_000).openapi({
      example: "Hi {{contact.firstName|there}},\n\nHow is {{company.name}} handling renewals?\n\n{{sender.name}}",
    }),
  })
  .openapi("SequenceVariant");

const StepInputSchema = z
  .strictObject({
    id: id("sqs_01jc9x7d1q8m3v5n2k4p6r8t0w").optional().openapi({
      description: "An existing step's id to keep it (and its stats); omit for a new step",
    }),
    channel: z.enum(stepChannels).optional().openapi({ description: "Default email" }),
    delayAmount: z.number().int().min(0).max(365).optional().openapi({
      example: 2,
      description: "Wait after enrollment (first step) or after the previous step's send; default 0",
    }),
    delayUnit: z.enum(delayUnits).optional().openapi({ description: "Default days" }),
    aiPersonalise: z.boolean().optional(),
    variants: z.array(VariantSchema).min(1).max(5),
  })
  .openapi("SequenceStepInput");

const SendWindowSchema = z
  .strictObject({
    days: z
      .array(z.number().int())
      .max(7)
      .openapi({ example: [1, 2, 3, 4, 5], description: "1 = Monday … 7 = Sunday" }),
    start: z.string().openapi({ example: "09:00" }),
    end: z.string().openapi({ example: "17:00" }),
  })
  .openapi("SendWindow", { description: "Wall-clock hours in the recipient's time zone (or the sequence's default)" });

const ExitRulesSchema = z
  .strictObject({
    onReply: z.boolean(),
    onBounce: z.boolean(),
    onUnsubscribe: z.boolean(),
    onDealWon: z.boolean(),
    onMeetingBooked: z.boolean(),
  })
  .openapi("SequenceExitRules");

const name = z.string().trim().min(1, "Must not be empty").max(200);
const description = z.string().trim().max(2000).nullable().optional();

const sequenceFields = {
  name,
  description,
  status: z.enum(["active", "paused"]).optional().openapi({ description: "Default active" }),
  mailboxId: id("mbx_01jc9x7d1q8m3v5n2k4p6r8t0w")
    .nullable()
    .optional()
    .openapi({ description: "Null: the tenant's default mailbox (the dev outbox without one)" }),
  sendWindow: SendWindowSchema.optional().openapi({ description: "Default Monday-Friday 09:00-17:00" }),
  defaultTimeZone: z
    .string()
    .max(64)
    .optional()
    .openapi({ example: "Europe/Paris", description: "For contacts without a time zone; default UTC" }),
  exitRules: ExitRulesSchema.partial().optional().openapi({ description: "All true by default" }),
  steps: z.array(StepInputSchema).min(1).max(30),
};

export const CreateSequenceBodySchema = z.strictObject(sequenceFields).openapi("CreateSequenceRequest");

export const UpdateSequenceBodySchema = z
  .strictObject({
    ...sequenceFields,
    name: name.optional(),
    steps: sequenceFields.steps.optional().openapi({
      description: "Replaces the steps, in order. A step given with its `id`, or unchanged, keeps its id",
    }),
  })
  .openapi("UpdateSequenceRequest");

export const SequenceStepSchema = z
  .object({
    id: z.string().openapi({ example: "sqs_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    position: z.number().int().openapi({ description: "From 1" }),
    channel: z.enum(stepChannels),
    delayAmount: z.number().int(),
    delayUnit: z.enum(delayUnits),
    aiPersonalise: z.boolean(),
    variants: z.array(
      z.object({ key: z.string(), weight: z.number().int(), subject: z.string().nullable(), body: z.string() }),
    ),
  })
  .openapi("SequenceStep");

export const SequenceSchema = z
  .object({
    id: z.string().openapi({ example: "seq_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    name: z.string().openapi({ example: "Trial follow-up" }),
    description: z.string().nullable(),
    status: z.enum(sequenceStatuses),
    mailboxId: z.string().nullable(),
    sendWindow: z.object({ days: z.array(z.number().int()), start: z.string(), end: z.string() }),
    defaultTimeZone: z.string(),
    exitRules: ExitRulesSchema,
    steps: z.array(SequenceStepSchema),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Sequence");

export const SequencePageSchema = pageOf(SequenceSchema, "SequencePage");

export const SequenceListQuerySchema = PageQuerySchema.extend({
  q: z
    .string()
    .max(200)
    .optional()
    .openapi({ param: { name: "q", in: "query" }, description: "Part of the name" }),
  status: z
    .enum(sequenceStatuses)
    .optional()
    .openapi({ param: { name: "status", in: "query" } }),
});

export const PreviewBodySchema = z
  .strictObject({
    contactId: id("ct_01jc9x7d1q8m3v5n2k4p6r8t0w"),
    stepId: id("sqs_01jc9x7d1q8m3v5n2k4p6r8t0w").optional().openapi({ description: "Only this step" }),
  })
  .openapi("SequencePreviewRequest");

export const PreviewSchema = z
  .object({
    sequenceId: z.string(),
    contactId: z.string(),
    steps: z.array(
      z.object({
        stepId: z.string(),
        position: z.number().int(),
        channel: z.enum(stepChannels),
        to: z.string().nullable().openapi({ description: "The contact's address on the step's channel" }),
        variants: z.array(
          z.object({
            key: z.string(),
            weight: z.number().int(),
            subject: z.string().nullable(),
            body: z.string(),
          }),
        ),
      }),
    ),
  })
  .openapi("SequencePreview");

const counts = {
  sent: z.number().int(),
  opened: z.number().int(),
  clicked: z.number().int(),
  replied: z.number().int(),
  bounced: z.number().int(),
  unsubscribed: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
};

export const SequenceStatsSchema = z
  .object({
    sequenceId: z.string(),
    totals: z.object(counts),
    steps: z.array(
      z.object({
        stepId: z.string(),
        position: z.number().int(),
        channel: z.enum(stepChannels),
        retired: z.boolean().openapi({ description: "Removed from the sequence after it sent" }),
        ...counts,
        variants: z.array(z.object({ variantKey: z.string().nullable(), ...counts })),
      }),
    ),
  })
  .openapi("SequenceStats");

export const EnrollmentStatusReasonSchema = z
  .object({
    inboundEmailId: z.string().openapi({ description: "The reply that paused or ended the enrollment" }),
    decidedBy: z.enum(["ai", "rules"]).openapi({
      description: "Whose class decided: the AI engine's (when it read the reply; it wins) or the rules'",
    }),
    classification: z.string().openapi({ example: "out_of_office" }),
    ruleClassification: z.string().openapi({ description: "The rule class, kept for reference", example: "other" }),
    action: z.string().openapi({ description: "The suggested action taken", example: "pause_sequence_until" }),
    description: z.string(),
  })
  .openapi("EnrollmentStatusReason", {
    description: "The reply, class and action behind the enrollment's last pause or exit (null for a person's own)",
    example: {
      inboundEmailId: "inb_01jc9x7d1q8m3v5n2k4p6r8t0w",
      decidedBy: "ai",
      classification: "out_of_office",
      ruleClassification: "out_of_office",
      action: "pause_sequence_until",
      description: "Paused until 2026-12-07: Pause the sequence until 2026-12-07.",
    },
  });

export const EnrollmentSchema = z
  .object({
    id: z.string().openapi({ example: "enr_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    sequenceId: z.string(),
    contactId: z.string(),
    campaignId: z.string().nullable(),
    status: z.enum(enrollmentStatuses),
    exitReason: z.enum(enrollmentExitReasons).nullable(),
    source: z.enum(enrollmentSources),
    enrolledBy: z.string(),
    mailboxId: z.string().nullable(),
    nextStepId: z.string().nullable(),
    dueAt: z.string().nullable().openapi({ description: "When the next step is due (then placed in the send window)" }),
    stepsCompleted: z.number().int(),
    lastSentAt: z.string().nullable(),
    pausedAt: z.string().nullable(),
    pausedUntil: z.string().nullable().openapi({
      description: "A pause that ends by itself (an out-of-office reply's return date); the scheduler resumes it then",
      example: "2026-12-07T00:00:00.000Z",
    }),
    statusReason: EnrollmentStatusReasonSchema.nullable(),
    endedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Enrollment");

export const EnrollmentPageSchema = pageOf(EnrollmentSchema, "EnrollmentPage");

export const EnrollmentListQuerySchema = PageQuerySchema.extend({
  status: z
    .enum(enrollmentStatuses)
    .optional()
    .openapi({ param: { name: "status", in: "query" } }),
});

export const EnrollBodySchema = z
  .strictObject({ contactIds: z.array(id("ct_01jc9x7d1q8m3v5n2k4p6r8t0w")).min(1).max(500) })
  .openapi("EnrollContactsRequest");

export const EnrollResultSchema = z
  .object({
    data: z.array(
      z.object({
        contactId: z.string(),
        result: z.enum(["enrolled", "already_enrolled", "skipped"]),
        enrollmentId: z.string().optional(),
        reason: z.enum(["contact_not_found", "sequence_has_no_steps"]).optional(),
      }),
    ),
  })
  .openapi("EnrollContactsResult");

const isoDateTime = z.iso.datetime({ offset: true });
const tag = z.string().trim().min(1).max(50);

/** The contact list's filters (GET /contacts), as a JSON object. */
export const ContactFiltersSchema = z
  .strictObject({
    q: z.string().max(200).optional(),
    ownerId: z.string().min(1).max(64).optional().openapi({ description: "A user id, or `me`" }),
    tag: z.union([tag, z.array(tag).max(10)]).optional(),
    lifecycleStage: z.enum(lifecycleStages).optional(),
    leadStatus: z.string().max(50).optional(),
    source: z.string().max(100).optional(),
    companyId: z.string().max(64).optional(),
    consentStatus: z.enum(consentStatuses).optional(),
    doNotContact: z.boolean().optional(),
    createdFrom: isoDateTime.optional(),
    createdTo: isoDateTime.optional(),
    updatedFrom: isoDateTime.optional(),
    updatedTo: isoDateTime.optional(),
    customFields: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_]*(\.(gte|lte))?$/, "A custom field key, optionally with .gte or .lte"),
        z.string().max(200),
      )
      .optional()
      .openapi({ example: { plan: "pro", "seats.gte": "10" }, description: "As `cf.<key>` in GET /contacts" }),
  })
  .openapi("ContactFilters");

export const FilterBodySchema = z.strictObject({ filters: ContactFiltersSchema }).openapi("EnrollByFilterRequest");

export const FilterPreviewSchema = z
  .object({
    count: z.number().int().openapi({ description: "Contacts matching the filters (that the caller may see)" }),
    sample: z.array(
      z.object({
        id: z.string(),
        firstName: z.string().nullable(),
        lastName: z.string().nullable(),
        email: z.string().nullable(),
      }),
    ),
  })
  .openapi("EnrollFilterPreview");

export const FilterEnrollResultSchema = z
  .object({ enrolled: z.number().int(), alreadyEnrolled: z.number().int() })
  .openapi("EnrollByFilterResult");
