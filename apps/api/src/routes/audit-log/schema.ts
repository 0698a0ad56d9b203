import { z } from "@hono/zod-openapi";
import { PageQuerySchema, pageOf } from "../../lib/pagination";

const SnapshotSchema = z
  .record(z.string(), z.unknown())
  .nullable()
  .openapi({ description: "The changed fields as stored (for updates, only the fields that changed)" });

export const AuditEntrySchema = z
  .object({
    id: z.string().openapi({ example: "aud_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    actorType: z.enum(["user", "api_key", "system"]),
    actorId: z.string().openapi({ example: "us_01jc9x7d1q8m3v5n2k4p6r8t0w", description: "The user or API key id" }),
    via: z.enum(["ui", "api", "system"]).openapi({ description: "A person's session, an API key, or background work" }),
    action: z.enum(["create", "update", "delete"]),
    entity: z.string().openapi({ example: "api_key" }),
    entityId: z.string().openapi({ example: "key_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    before: SnapshotSchema,
    after: SnapshotSchema,
    requestId: z.string().nullable(),
    createdAt: z.string().openapi({ example: "2026-11-02T10:15:00.000Z" }),
  })
  .openapi("AuditEntry");

export const AuditEntryPageSchema = pageOf(AuditEntrySchema, "AuditEntryPage");

const isoDateTime = (name: string, description: string) =>
  z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ param: { name, in: "query" }, example: "2026-11-01T00:00:00Z", description });

export const AuditLogQuerySchema = PageQuerySchema.extend({
  actorId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ param: { name: "actorId", in: "query" }, description: "Only changes by this user or API key" }),
  entity: z
    .string()
    .regex(/^[a-z][a-z_]{0,63}$/, "Must be an entity name such as `api_key`")
    .optional()
    .openapi({ param: { name: "entity", in: "query" }, example: "api_key" }),
  entityId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ param: { name: "entityId", in: "query" }, description: "Only changes to this record" }),
  action: z
    .enum(["create", "update", "delete"])
    .optional()
    .openapi({ param: { name: "action", in: "query" } }),
  from: isoDateTime("from", "Entries at or after this time"),
  to: isoDateTime("to", "Entries before this time"),
});
