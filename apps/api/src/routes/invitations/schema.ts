import { z } from "@hono/zod-openapi";
import { roles } from "@crm/db";
import { invitationStatuses } from "@crm/services";
import { PageQuerySchema, pageOf } from "../../lib/pagination";
import { EmailSchema } from "../auth/schema";

export const InvitationSchema = z
  .object({
    id: z.string().openapi({ example: "inv_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    email: z.string().openapi({ example: "grace@example.com" }),
    role: z.enum(roles),
    status: z.enum(invitationStatuses),
    invitedBy: z.string().openapi({ description: "The user or API key that sent it" }),
    expiresAt: z.string(),
    acceptedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Invitation");

export const CreateInvitationBodySchema = z
  .object({
    email: EmailSchema,
    role: z.enum(roles).openapi({ description: "Only an owner can invite an owner" }),
    expiresInDays: z.number().int().min(1).max(30).default(7).openapi({ example: 7 }),
  })
  .openapi("CreateInvitationRequest");

export const InvitationListQuerySchema = PageQuerySchema.extend({
  status: z
    .enum(invitationStatuses)
    .optional()
    .openapi({ param: { name: "status", in: "query" }, description: "Only invitations in this state" }),
});

export const InvitationPageSchema = pageOf(InvitationSchema, "InvitationPage");

export const AcceptInvitationBodySchema = z
  .object({
    token: z.string().min(1).max(200).openapi({ description: "The `token` query parameter of the emailed link" }),
    name: z
      .string()
      .trim()
      .min(1)
      .max(120)
      .optional()
      .openapi({ description: "Required when the email has no account yet" }),
    password: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: "The new account's password (10+ characters), or the existing account's password" }),
  })
  .openapi("AcceptInvitationRequest");
