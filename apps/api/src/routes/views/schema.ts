import { z } from "@hono/zod-openapi";
import { recordTypes } from "@crm/db";
import { PageQuerySchema, pageOf } from "../../lib/pagination";

const ViewQuery = z
  .record(
    z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_.]{0,63}$/, "Must be a list query parameter name such as `status` or `cf.plan`"),
    z.string().max(1_000),
  )
  .refine((query) => Object.keys(query).length <= 50, "At most 50 parameters")
  .openapi({
    description:
      "The list's query string parameters (filters, `sort`, `q`, `cf.<key>`) as an object; never `cursor` or `limit`",
    example: { status: "open", sort: "dueAt", "cf.plan": "pro" },
  });

const Columns = z
  .array(z.string().min(1).max(100))
  .max(100)
  .nullable()
  .openapi({
    description: "The columns to show, in order; null for the default",
    example: ["title", "dueAt", "assigneeId"],
  });

export const ViewSchema = z
  .object({
    id: z.string().openapi({ example: "view_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    objectType: z.enum(recordTypes),
    name: z.string().openapi({ example: "My overdue tasks" }),
    query: z.record(z.string(), z.string()),
    columns: z.array(z.string()).nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("SavedView");

export const ViewPageSchema = pageOf(ViewSchema, "SavedViewPage");

const name = z.string().trim().min(1).max(100).openapi({ example: "My overdue tasks" });

export const CreateViewBodySchema = z
  .strictObject({ objectType: z.enum(recordTypes), name, query: ViewQuery, columns: Columns.optional() })
  .openapi("CreateSavedViewRequest");

export const UpdateViewBodySchema = z
  .strictObject({ name: name.optional(), query: ViewQuery.optional(), columns: Columns.optional() })
  .openapi("UpdateSavedViewRequest");

export const ViewListQuerySchema = PageQuerySchema.extend({
  objectType: z
    .enum(recordTypes)
    .optional()
    .openapi({ param: { name: "objectType", in: "query" } }),
});
