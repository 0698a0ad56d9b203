// Content through the provider layer: a message from one of the tenant's templates (a sequence
// step's variant) or a template typed in, filled with a contact's (and a deal's) facts; and
// improve / shorten / rewrite of a draft. A generation is stored as an AI output about the
// contact (capability "content", with the template it came from) so people can rate it and
// usage per template can be counted; nothing is sent. Edits of a draft are not stored.
import {
  type ContentChannel,
  type ContentOperation,
  ContentTemplateError,
  type ContentTemplate,
  type ContentTone,
} from "@crm/ai";
import { type contacts, mailboxes, sequenceSteps, sequences } from "@crm/db";
import { ApiError, type FieldError } from "@crm/errors";
import { and, eq, isNull } from "drizzle-orm";
import type { TenantContext } from "../context";
import { findVisibleContact } from "../contacts/write";
import { findVisibleDeal } from "../deals/write";
import { templateDataFor } from "../outreach/render";
import { customFieldDefinitionsFor } from "../records/custom-fields";
import { aiOutputRow, insertAiOutputQuery } from "./outputs";
import type { AiProviders } from "./providers";

export interface GenerateContentRequest {
  channel: ContentChannel;
  tone: ContentTone;
  /** A sequence step of this tenant; its variant `variantKey` (default: the first). */
  templateId?: string | undefined;
  variantKey?: string | undefined;
  /** A template typed in, instead of templateId. */
  template?: { subject?: string | null | undefined; body: string } | undefined;
  contactId: string;
  dealId?: string | undefined;
}

const invalid = (errors: FieldError[]) =>
  new ApiError("VALIDATION_FAILED", "The content request has invalid fields", { errors });

/** The tenant's template a request names (with the variant used), or the one it carries. */
async function templateOf(
  ctx: TenantContext,
  input: GenerateContentRequest,
): Promise<ContentTemplate & { variantKey: string | null }> {
  if (!input.templateId) {
    return {
      id: "inline",
      name: "typed in",
      subject: input.template?.subject ?? null,
      body: input.template!.body,
      variantKey: null,
    };
  }
  const step = await ctx.db.findFirst(
    sequenceSteps,
    and(eq(sequenceSteps.id, input.templateId), isNull(sequenceSteps.deletedAt))!,
  );
  const sequence =
    step && (await ctx.db.findFirst(sequences, and(eq(sequences.id, step.sequenceId), isNull(sequences.deletedAt))!));
  if (!step || !sequence) throw invalid([{ path: "body.templateId", message: "No sequence step has this id" }]);
  const variant = input.variantKey ? step.variants.find((v) => v.key === input.variantKey) : step.variants[0];
  if (!variant) {
    throw invalid([
      {
        path: "body.variantKey",
        message: `The step has variants ${step.variants.map((v) => v.key).join(", ")}`,
      },
    ]);
  }
  return {
    id: step.id,
    name: `${sequence.name}, step ${step.position}${step.variants.length > 1 ? ` variant ${variant.key}` : ""}`,
    subject: variant.subject ?? null,
    body: variant.body,
    variantKey: variant.key,
  };
}

/** An email, SMS or social post for a contact from a template, with what it used and why. */
export async function generateContentFor(ctx: TenantContext, providers: AiProviders, input: GenerateContentRequest) {
  let contact: typeof contacts.$inferSelect;
  try {
    contact = await findVisibleContact(ctx, input.contactId);
  } catch {
    throw invalid([{ path: "body.contactId", message: `Contact ${input.contactId} was not found` }]);
  }
  const template = await templateOf(ctx, input);
  const mailbox =
    (await ctx.db.findFirst(mailboxes, and(eq(mailboxes.isDefault, true), isNull(mailboxes.deletedAt))!)) ?? null;
  const data = await templateDataFor(ctx, contact, mailbox);
  if (input.dealId) {
    let deal;
    try {
      deal = await findVisibleDeal(ctx, input.dealId);
    } catch {
      throw invalid([{ path: "body.dealId", message: `Deal ${input.dealId} was not found` }]);
    }
    data.deal = { name: deal.name, value: deal.value, currency: deal.currency };
  }
  const customFieldKeys = (await customFieldDefinitionsFor(ctx, "contact")).map((d) => d.key);
  const { variantKey, ...contentTemplate } = template;
  let generated;
  try {
    generated = await providers.content.generate({
      channel: input.channel,
      tone: input.tone,
      template: contentTemplate,
      context: data,
      customFieldKeys,
    });
  } catch (error) {
    if (!(error instanceof ContentTemplateError)) throw error;
    const at = input.templateId ? "body.templateId" : "body.template";
    throw invalid(error.problems.map((p) => ({ path: at, message: p.message })));
  }
  const output = {
    ...aiOutputRow(ctx, { type: "contact", id: contact.id }, "content", generated),
    templateId: input.templateId ? template.id : null,
    variantKey,
  };
  await insertAiOutputQuery(ctx, output);
  return { outputId: output.id, ...generated };
}

export interface EditContentRequest {
  operation: ContentOperation;
  tone: ContentTone;
  channel: ContentChannel;
  text: string;
  subject?: string | null | undefined;
}

/** A draft improved, shortened or rewritten in a tone, with every change listed. */
export async function editContent(providers: AiProviders, input: EditContentRequest) {
  return providers.content.edit(
    input.operation,
    { channel: input.channel, subject: input.subject ?? null, body: input.text },
    input.tone,
  );
}
