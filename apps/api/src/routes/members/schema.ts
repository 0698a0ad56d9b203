import { z } from "@hono/zod-openapi";
import { roles } from "@crm/db";
import { pageOf } from "../../lib/pagination";

export const MemberSchema = z
  .object({
    id: z.string().openapi({ example: "us_01jc9x7d1q8m3v5n2k4p6r8t0w", description: "The person's user id" }),
    name: z.string().openapi({ example: "Grace Hopper" }),
    email: z.string().openapi({ example: "grace@example.com" }),
    role: z.enum(roles),
    joinedAt: z.string(),
  })
  .openapi("Member");

export const MemberPageSchema = pageOf(MemberSchema, "MemberPage");

export const UpdateMemberBodySchema = z
  .object({ role: z.enum(roles).openapi({ description: "Only an owner can grant or remove the owner role" }) })
  .openapi("UpdateMemberRequest");
