import { z } from "@hono/zod-openapi";
import { roles } from "@crm/db";

export const EmailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: "Must be an email address" }))
  .openapi({ example: "ada@example.com" });

export const PasswordSchema = z
  .string()
  .min(10, "Must be at least 10 characters")
  .max(200, "Must be at most 200 characters")
  .openapi({ example: "correct horse battery staple" });

export const SignupBodySchema = z
  .object({
    organizationName: z.string().trim().min(1).max(120).openapi({ example: "Acme Inc." }),
    name: z.string().trim().min(1).max(120).openapi({ example: "Ada Lovelace" }),
    email: EmailSchema,
    password: PasswordSchema,
  })
  .openapi("SignupRequest");

export const LoginBodySchema = z
  .object({
    email: EmailSchema,
    password: z.string().min(1).max(200),
    tenantId: z
      .string()
      .max(64)
      .optional()
      .openapi({ description: "Open the session in this tenant (default: the first)" }),
  })
  .openapi("LoginRequest");

export const RefreshBodySchema = z.object({ refreshToken: z.string().min(1).max(200) }).openapi("RefreshRequest");

export const SessionSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal("Bearer"),
    expiresIn: z.number().int().openapi({ example: 900, description: "Seconds until the access token expires" }),
    tenantId: z.string().openapi({ example: "tn_01jc9x7d1q8m3v5n2k4p6r8t0w" }),
    role: z.enum(roles),
  })
  .openapi("Session");

export const MembershipSummarySchema = z
  .object({ id: z.string(), name: z.string(), slug: z.string(), role: z.enum(roles) })
  .openapi("TenantMembership");

export const MeSchema = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string(), createdAt: z.string() }),
    tenant: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
    role: z.enum(roles),
    tenants: z.array(MembershipSummarySchema),
  })
  .openapi("Me");

export const PasswordResetRequestSchema = z.object({ email: EmailSchema }).openapi("PasswordResetRequest");

export const PasswordResetAcceptedSchema = z
  .object({
    message: z.string().openapi({ example: "If an account exists for this email, a reset link is on its way" }),
  })
  .openapi("PasswordResetAccepted");

export const PasswordResetConfirmSchema = z
  .object({
    token: z.string().min(1).max(200).openapi({ description: "The `token` query parameter of the emailed link" }),
    password: PasswordSchema,
  })
  .openapi("PasswordResetConfirm");

export const SwitchTenantBodySchema = z
  .object({ tenantId: z.string().min(1).max(64).openapi({ example: "tn_01jc9x7d1q8m3v5n2k4p6r8t0w" }) })
  .openapi("SwitchTenantRequest");
