import { type contacts, mailboxes } from "@crm/db";
import { ApiError } from "@crm/errors";
import { renderTemplate } from "@crm/outreach";
import { and, eq, isNull } from "drizzle-orm";
import type { TenantContext } from "../context";
import { findVisibleContact } from "../contacts/write";
import { addressFor, templateDataFor } from "./render";
import { findSequence, liveSteps } from "./sequences";

/** Every variant of every step (or one step) rendered for a contact, as it would be sent. */
export async function previewSequence(
  ctx: TenantContext,
  sequenceId: string,
  input: { contactId: string; stepId?: string | undefined },
) {
  const sequence = await findSequence(ctx, sequenceId);
  let contact: typeof contacts.$inferSelect;
  try {
    contact = await findVisibleContact(ctx, input.contactId);
  } catch {
    throw new ApiError("VALIDATION_FAILED", "The preview has invalid fields", {
      errors: [{ path: "body.contactId", message: `Contact ${input.contactId} was not found` }],
    });
  }
  const steps = (await liveSteps(ctx, sequence.id)).filter((s) => !input.stepId || s.id === input.stepId);
  if (input.stepId && steps.length === 0) {
    throw new ApiError("VALIDATION_FAILED", "The preview has invalid fields", {
      errors: [{ path: "body.stepId", message: `Step ${input.stepId} is not a step of this sequence` }],
    });
  }
  const mailbox = sequence.mailboxId
    ? ((await ctx.db.findFirst(mailboxes, eq(mailboxes.id, sequence.mailboxId))) ?? null)
    : ((await ctx.db.findFirst(mailboxes, and(eq(mailboxes.isDefault, true), isNull(mailboxes.deletedAt))!)) ?? null);
  const data = await templateDataFor(ctx, contact, mailbox);
  return {
    sequenceId: sequence.id,
    contactId: contact.id,
    steps: steps.map((step) => ({
      stepId: step.id,
      position: step.position,
      channel: step.channel,
      to: addressFor(contact, step.channel),
      variants: step.variants.map((v) => ({
        key: v.key,
        weight: v.weight,
        subject: v.subject === undefined ? null : renderTemplate(v.subject, data),
        body: renderTemplate(v.body, data),
      })),
    })),
  };
}
