import { z } from "@hono/zod-openapi";
import { customFieldTypes, recordTypes } from "@crm/db";
import { pageOf } from "../../lib/pagination";

export const CustomFieldSchema = z
  .object({
    id: z.string().openapi({ example: "cf_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    objectType: z.enum(recordTypes),
    key: z.string().openapi({ example: "plan", description: "The key in records' `customFields`" }),
    label: z.string().openapi({ example: "Plan" }),
    type: z.enum(customFieldTypes),
    options: z
      .array(z.string())
      .nullable()
      .openapi({ example: ["free", "pro", "enterprise"], description: "Select types only" }),
    required: z.boolean(),
    position: z.number().int().openapi({ description: "Display order within the object" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("CustomField");

export const CustomFieldListSchema = pageOf(CustomFieldSchema, "CustomFieldList");

const label = z.string().trim().min(1).max(100).openapi({ example: "Plan" });
const options = z
  .array(z.string().trim().min(1).max(100))
  .max(200)
  .nullable()
  .optional()
  .openapi({ description: "Required for select and multi_select (at least one); not allowed for other types" });
const required = z.boolean().optional().openapi({ description: "Records must carry a value when created" });
const position = z
  .number()
  .int()
  .min(0)
  .max(10_000)
  .optional()
  .openapi({ description: "Default: after the object's other fields" });

export const CreateCustomFieldBodySchema = z
  .strictObject({
    objectType: z.enum(recordTypes),
    key: z
      .string()
      .regex(
        /^[a-z][a-z0-9_]{0,62}$/,
        "Must be snake_case: a lower-case letter, then letters, digits or _ (at most 63)",
      )
      .openapi({ example: "plan" }),
    label,
    type: z.enum(customFieldTypes),
    options,
    required,
    position,
  })
  .openapi("CreateCustomFieldRequest");

export const UpdateCustomFieldBodySchema = z
  .strictObject({
    label: label.optional(),
    type: z
      .enum(customFieldTypes)
      .optional()
      .openapi({ description: "Only while no record holds a value (409 otherwise)" }),
    options,
    required,
    position,
  })
  .openapi("UpdateCustomFieldRequest");

export const CustomFieldListQuerySchema = z.object({
  objectType: z
    .enum(recordTypes)
    .optional()
    .openapi({ param: { name: "objectType", in: "query" } }),
});
