import { z } from "@hono/zod-openapi";
import { customFieldFiltersFrom } from "@crm/services";
import { PageQuerySchema } from "./pagination";

const isoDateTime = (name: string, description: string) =>
  z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ param: { name, in: "query" }, example: "2026-11-01T00:00:00Z", description });

const TagSchema = z.string().trim().min(1).max(50);

/**
 * The query every record list takes: page, `sort`, `q`, owner, tags and time ranges.
 * Objects extend it with their own filters; `cf.<key>` custom-field filters are read
 * from the raw query string (their keys are the tenant's), see `recordListFilters`.
 */
export const RecordListQuerySchema = PageQuerySchema.extend({
  sort: z
    .string()
    .max(80)
    .optional()
    .openapi({
      param: { name: "sort", in: "query" },
      example: "-createdAt",
      description: "A sortable field; prefix `-` for descending",
    }),
  q: z
    .string()
    .max(200)
    .optional()
    .openapi({
      param: { name: "q", in: "query" },
      description: "Full-text search; every word must match the start of a word",
    }),
  ownerId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ param: { name: "ownerId", in: "query" }, description: "A user id, or `me`" }),
  tag: z
    .union([TagSchema, z.array(TagSchema).max(10)])
    .optional()
    .openapi({ param: { name: "tag", in: "query" }, description: "Repeat for records carrying every one of the tags" }),
  createdFrom: isoDateTime("createdFrom", "Created at or after this time"),
  createdTo: isoDateTime("createdTo", "Created before this time"),
  updatedFrom: isoDateTime("updatedFrom", "Updated at or after this time"),
  updatedTo: isoDateTime("updatedTo", "Updated before this time"),
});

type RecordListQuery = z.infer<typeof RecordListQuerySchema>;

const toDate = (value: string | undefined) => (value ? new Date(value) : undefined);

/** The common filters as services take them, with the `cf.*` parameters of the request URL. */
export function recordListFilters(query: Omit<RecordListQuery, "limit" | "cursor" | "sort">, url: string) {
  const { tag, createdFrom, createdTo, updatedFrom, updatedTo, ...rest } = query;
  return {
    ...rest,
    tags: tag === undefined ? undefined : Array.isArray(tag) ? tag : [tag],
    createdFrom: toDate(createdFrom),
    createdTo: toDate(createdTo),
    updatedFrom: toDate(updatedFrom),
    updatedTo: toDate(updatedTo),
    customFields: customFieldFiltersFrom(new URL(url).searchParams),
  };
}

export const customFieldFilterDescription =
  "Custom fields filter as `cf.<key>=<value>` (equality; membership for multi-select) and, for number and date " +
  "fields, `cf.<key>.gte=` / `cf.<key>.lte=`; sort by one with `sort=cf.<key>`.";
