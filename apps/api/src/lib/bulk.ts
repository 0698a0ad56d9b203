import { z } from "@hono/zod-openapi";

/** `POST /<objects>/bulk`: one action over up to 1,000 ids, all or nothing. */
export function bulkRequestSchema<T extends z.ZodType>(changes: T, name: string) {
  return z
    .strictObject({
      action: z.enum(["update", "delete", "assign", "tag", "untag"]),
      ids: z.array(z.string().min(1).max(64)).min(1).max(1000).openapi({
        description: "1 to 1,000 record ids; one unknown id and nothing changes (422 at `body.ids.<index>`)",
      }),
      changes: changes.optional().openapi({ description: "For `update`: the fields to set on every record" }),
      ownerId: z
        .string()
        .min(1)
        .max(64)
        .nullable()
        .optional()
        .openapi({ description: "For `assign`: the new owner's user id, or null to unassign" }),
      tags: z
        .array(z.string().trim().min(1).max(50))
        .min(1)
        .max(50)
        .optional()
        .openapi({ description: "For `tag` and `untag`" }),
    })
    .openapi(name);
}

export const BulkResultSchema = z
  .object({
    results: z.array(
      z.object({
        id: z.string(),
        status: z.enum(["updated", "deleted"]),
      }),
    ),
  })
  .openapi("BulkResult");
