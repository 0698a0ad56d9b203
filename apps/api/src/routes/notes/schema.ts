import { z } from "@hono/zod-openapi";
import { recordTypes } from "@crm/db";
import { PageQuerySchema, pageOf } from "../../lib/pagination";

export const NoteSchema = z
  .object({
    id: z.string().openapi({ example: "note_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    recordType: z.enum(recordTypes),
    recordId: z.string().openapi({ example: "ct_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    body: z.string().openapi({ example: "Prefers a call on Tuesdays; budget approved for Q1." }),
    authorId: z.string().openapi({ description: "The user or API key that wrote it" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Note");

export const NotePageSchema = pageOf(NoteSchema, "NotePage");

const NoteBody = z.string().trim().min(1, "Must not be empty").max(20_000);

export const CreateNoteBodySchema = z
  .strictObject({
    recordType: z.enum(recordTypes),
    recordId: z.string().min(1).max(64).openapi({ description: "A record of recordType in this organization" }),
    body: NoteBody,
  })
  .openapi("CreateNoteRequest");

export const UpdateNoteBodySchema = z.strictObject({ body: NoteBody }).openapi("UpdateNoteRequest");

export const NoteListQuerySchema = PageQuerySchema.extend({
  recordType: z.enum(recordTypes).openapi({ param: { name: "recordType", in: "query" } }),
  recordId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "recordId", in: "query" }, description: "The record whose notes to list" }),
});
