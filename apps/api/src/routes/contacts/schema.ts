import { z } from "@hono/zod-openapi";
import { consentStatuses, lifecycleStages } from "@crm/db";
import { bulkRequestSchema } from "../../lib/bulk";
import { RecordListQuerySchema } from "../../lib/list-query";
import { pageOf } from "../../lib/pagination";

const text = (max: number) => z.string().trim().max(max);
const httpUrl = z.url({ protocol: /^https?$/, error: "Must be an http(s) URL" }).max(500);

export const EmailSchema = z.object({
  address: z.email().max(254).openapi({ example: "ada@example.com" }),
  primary: z.boolean().openapi({ description: "Exactly one email is primary; the first when none is marked" }),
  label: z.string().nullable().openapi({ example: "work" }),
});

export const PhoneSchema = z.object({
  number: z.string().openapi({ example: "+44 20 7946 0018" }),
  label: z.string().nullable().openapi({ example: "mobile" }),
});

export const AddressSchema = z
  .strictObject({
    street: text(200).optional(),
    city: text(100).optional(),
    region: text(100).optional(),
    postalCode: text(20).optional(),
    country: text(100).optional(),
  })
  .openapi("PostalAddress");

const CustomFieldsSchema = z
  .record(z.string(), z.unknown())
  .openapi({ description: "Values for the tenant's custom fields, by key; null clears one", example: { plan: "pro" } });

export const ContactSchema = z
  .object({
    id: z.string().openapi({ example: "ct_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    firstName: z.string().nullable().openapi({ example: "Ada" }),
    lastName: z.string().nullable().openapi({ example: "Lovelace" }),
    emails: z.array(EmailSchema),
    phones: z.array(PhoneSchema),
    title: z.string().nullable(),
    companyId: z.string().nullable(),
    lifecycleStage: z.enum(lifecycleStages).nullable(),
    lifecycleStageChangedAt: z.string().nullable().openapi({ description: "When the current stage was entered" }),
    leadStatus: z.string().nullable(),
    source: z.string().nullable(),
    ownerId: z.string().nullable(),
    tags: z.array(z.string()),
    consent: z.object({
      status: z.enum(consentStatuses),
      changedAt: z.string().nullable(),
      source: z.string().nullable(),
    }),
    doNotContact: z.boolean(),
    timeZone: z.string().nullable().openapi({ example: "Europe/London" }),
    address: AddressSchema.nullable(),
    socialLinks: z.record(z.string(), z.string()).openapi({ example: { linkedin: "https://www.linkedin.com/in/ada" } }),
    customFields: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Contact");

export const ContactPageSchema = pageOf(ContactSchema, "ContactPage");

/** Every writable field; a create may leave out any of them, a PATCH sends only what changes. */
const contactFields = {
  firstName: text(100).nullable().optional(),
  lastName: text(100).nullable().optional(),
  emails: z
    .array(
      z.strictObject({
        address: z.email().max(254),
        primary: z.boolean().optional(),
        label: text(40).nullable().optional(),
      }),
    )
    .max(20)
    .optional()
    .openapi({
      description: "Replaces the list; addresses are lower-cased, one is primary (the first if none is marked)",
    }),
  phones: z
    .array(
      z.strictObject({
        number: text(40).regex(/^\+?[\d\s().\-x]*\d[\d\s().\-x]*$/, "Must be a phone number"),
        label: text(40).nullable().optional(),
      }),
    )
    .max(20)
    .optional(),
  title: text(200).nullable().optional(),
  companyId: z.string().max(64).nullable().optional().openapi({ description: "A company of this organization" }),
  lifecycleStage: z
    .enum(lifecycleStages)
    .optional()
    .openapi({ description: "Each change is kept in the lifecycle history" }),
  leadStatus: text(50).nullable().optional(),
  source: text(100).nullable().optional(),
  ownerId: z
    .string()
    .max(64)
    .nullable()
    .optional()
    .openapi({ description: "A member's user id (default: the creator)" }),
  tags: z.array(text(50)).max(50).optional(),
  consent: z
    .strictObject({ status: z.enum(consentStatuses), source: text(200).nullable().optional() })
    .optional()
    .openapi({ description: "Changing the status stamps `consent.changedAt`" }),
  doNotContact: z.boolean().optional(),
  timeZone: z
    .string()
    .max(64)
    .nullable()
    .optional()
    .openapi({ description: "An IANA time zone", example: "Europe/London" }),
  address: AddressSchema.nullable().optional(),
  socialLinks: z
    .record(z.string().regex(/^[a-z][a-z0-9_]{0,29}$/, "Must be a lower-case network name"), httpUrl)
    .refine((links) => Object.keys(links).length <= 20, "At most 20 links")
    .optional(),
  customFields: CustomFieldsSchema.optional(),
};

export const CreateContactBodySchema = z.strictObject(contactFields).openapi("CreateContactRequest");
export const UpdateContactBodySchema = z.strictObject(contactFields).openapi("UpdateContactRequest");

const {
  firstName: _f,
  lastName: _l,
  emails: _e,
  phones: _p,
  title: _t,
  tags: _tags,
  address: _a,
  socialLinks: _s,
  ...bulkFields
} = contactFields;
export const ContactBulkBodySchema = bulkRequestSchema(
  z.strictObject(bulkFields).openapi("ContactBulkChanges"),
  "ContactBulkRequest",
);

export const MergeContactsBodySchema = z
  .strictObject({
    survivorId: z.string().min(1).max(64).openapi({ description: "The contact that stays" }),
    mergedId: z
      .string()
      .min(1)
      .max(64)
      .openapi({ description: "The duplicate: folded into the survivor, then deleted" }),
  })
  .openapi("MergeContactsRequest");

const yesNo = z.enum(["true", "false"]);

export const ContactListQuerySchema = RecordListQuerySchema.extend({
  lifecycleStage: z
    .enum(lifecycleStages)
    .optional()
    .openapi({ param: { name: "lifecycleStage", in: "query" } }),
  leadStatus: z
    .string()
    .max(50)
    .optional()
    .openapi({ param: { name: "leadStatus", in: "query" } }),
  source: z
    .string()
    .max(100)
    .optional()
    .openapi({ param: { name: "source", in: "query" } }),
  companyId: z
    .string()
    .max(64)
    .optional()
    .openapi({ param: { name: "companyId", in: "query" } }),
  consentStatus: z
    .enum(consentStatuses)
    .optional()
    .openapi({ param: { name: "consentStatus", in: "query" } }),
  doNotContact: yesNo.optional().openapi({ param: { name: "doNotContact", in: "query" } }),
});

export const contactSortDescription =
  "Sort by `createdAt` (default `-createdAt`), `updatedAt`, `name` (last name, first name) or `lifecycleStageChangedAt`.";

export const LifecycleChangeSchema = z
  .object({
    id: z.string().openapi({ example: "lch_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    contactId: z.string(),
    fromStage: z.enum(lifecycleStages).nullable(),
    toStage: z.enum(lifecycleStages),
    changedBy: z.string().openapi({ description: "The user or API key that made the change" }),
    changedAt: z.string(),
  })
  .openapi("LifecycleChange");

export const LifecycleChangePageSchema = pageOf(LifecycleChangeSchema, "LifecycleChangePage");
