import { z } from "@hono/zod-openapi";

/** `limit` + opaque `cursor`, shared by every list. */
export const PageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ param: { name: "limit", in: "query" }, example: 50 }),
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({ param: { name: "cursor", in: "query" }, description: "`nextCursor` of the previous page" }),
});

export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      data: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .openapi({ description: "Pass as `cursor` for the next page; null on the last" }),
    })
    .openapi(name);
}

export const IdParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z]+_[0-9a-z]+$/, "Not an id")
    .openapi({ param: { name: "id", in: "path" }, example: "key_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
});
