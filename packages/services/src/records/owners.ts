import { memberships } from "@crm/db";
import { ApiError } from "@crm/errors";
import { eq } from "drizzle-orm";
import type { TenantContext } from "../context";

/** A record's owner must be a person in the tenant; otherwise a 422 at `path`. */
export async function assertOwnerIsMember(ctx: TenantContext, ownerId: string, path: string): Promise<void> {
  const membership = await ctx.db.findFirst(memberships, eq(memberships.userId, ownerId));
  if (!membership) {
    throw new ApiError("VALIDATION_FAILED", "The owner is not a member of this organization", {
      errors: [{ path, message: "No member of this organization has this user id" }],
    });
  }
}

/** The owner a new record gets when none is given: the person creating it (API keys leave it unowned). */
export function defaultOwnerId(ctx: TenantContext): string | null {
  return ctx.actor.type === "user" ? ctx.actor.id : null;
}
