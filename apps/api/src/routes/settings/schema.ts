import { z } from "@hono/zod-openapi";

const Rule = z.enum(["all", "own"]);

export const RecordVisibilitySchema = z
  .object({
    member: Rule.openapi({ description: "What members see: every record, or only the ones they own" }),
    viewer: Rule.openapi({ description: "What viewers see: every record, or only the ones they own" }),
  })
  .openapi("RecordVisibility", { description: "Owners, admins and API keys always see every record" });

export const UpdateRecordVisibilityBodySchema = z
  .strictObject({ member: Rule.optional(), viewer: Rule.optional() })
  .refine((body) => body.member !== undefined || body.viewer !== undefined, "Give member, viewer or both")
  .openapi("UpdateRecordVisibilityRequest");
