import { type contacts, suppressions } from "@crm/db";
import { and, eq } from "drizzle-orm";
import type { TenantContext } from "../context";

type ContactRow = typeof contacts.$inferSelect;

/** The suppression entry for an address (emails compared lower-cased), if the tenant has one. */
export async function isSuppressed(ctx: TenantContext, address: string) {
  const normalised = address.includes("@") ? address.trim().toLowerCase() : address.trim();
  return (await ctx.db.findFirst(suppressions, and(eq(suppressions.address, normalised))!)) ?? null;
}

export type ConsentBlock =
  | { reason: "do_not_contact"; exitReason: "do_not_contact" }
  | { reason: "opted_out"; exitReason: "unsubscribed" }
  | {
      reason: `suppressed_${"unsubscribed" | "bounced" | "complained" | "manual"}`;
      exitReason: "unsubscribed" | "bounced" | "do_not_contact";
    };

/**
 * Why this contact must not be sent to at `address`, or null when it may: do-not-contact,
 * opted out, or the address on the tenant's suppression list. Checked before every send.
 */
export async function consentBlock(
  ctx: TenantContext,
  contact: ContactRow,
  address: string | null,
): Promise<ConsentBlock | null> {
  if (contact.doNotContact) return { reason: "do_not_contact", exitReason: "do_not_contact" };
  if (contact.consentStatus === "opted_out") return { reason: "opted_out", exitReason: "unsubscribed" };
  if (!address) return null;
  const suppressed = await isSuppressed(ctx, address);
  if (!suppressed) return null;
  const exitReason =
    suppressed.reason === "bounced" ? "bounced" : suppressed.reason === "manual" ? "do_not_contact" : "unsubscribed";
  return { reason: `suppressed_${suppressed.reason}`, exitReason };
}
