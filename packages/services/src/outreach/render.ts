import { companies, type contacts, deals, tenants } from "@crm/db";
import { pickVariant, renderTemplate, type TemplateData } from "@crm/outreach";
import { and, desc, eq } from "drizzle-orm";
import { remembered, type TenantContext } from "../context";
import type { SequenceStepRow } from "./sequences";

type ContactRow = typeof contacts.$inferSelect;
import type { MailboxRow } from "./mailbox-credentials";
export type { MailboxRow };

/** Where a contact is reached on a channel: the primary email, or the first phone number. */
export function addressFor(contact: ContactRow, channel: SequenceStepRow["channel"]): string | null {
  if (channel === "email") return contact.primaryEmail ?? contact.emails[0]?.address?.toLowerCase() ?? null;
  return contact.phones[0]?.number ?? null;
}

/** The values tokens read: the contact, its company, its newest open deal and the sender. */
export async function templateDataFor(
  ctx: TenantContext,
  contact: ContactRow,
  mailbox: MailboxRow | null,
): Promise<TemplateData> {
  const [company, deal, tenant] = await Promise.all([
    contact.companyId ? ctx.db.findFirst(companies, eq(companies.id, contact.companyId)) : undefined,
    ctx.db.findMany(deals, {
      where: and(eq(deals.contactId, contact.id), eq(deals.status, "active")),
      orderBy: desc(deals.createdAt),
      limit: 1,
    }),
    // The tenant's name signs mail without a mailbox; read once per send batch.
    mailbox?.fromName ? undefined : remembered(ctx, "outreach:tenant", () => ctx.db.tenant()),
  ]);
  const fullName = [contact.firstName, contact.lastName].filter((p) => p?.trim()).join(" ");
  return {
    contact: {
      firstName: contact.firstName,
      lastName: contact.lastName,
      fullName,
      email: addressFor(contact, "email"),
      title: contact.title,
      phone: contact.phones[0]?.number ?? null,
      timeZone: contact.timeZone,
      customFields: contact.customFields,
    },
    company: company
      ? { name: company.name, domain: company.domain, industry: company.industry, website: company.website }
      : null,
    deal: deal[0] ? { name: deal[0].name, value: deal[0].value, currency: deal[0].currency } : null,
    sender: {
      name: mailbox?.fromName ?? (tenant as typeof tenants.$inferSelect | undefined)?.name ?? null,
      email: mailbox?.fromAddress ?? null,
    },
  };
}

/** The step as this enrollment receives it: its variant (stable per enrollment and step) rendered. */
export function renderStep(step: SequenceStepRow, data: TemplateData, seed: string) {
  const variant = pickVariant(step.variants, seed);
  return {
    variantKey: variant.key,
    subject: variant.subject === undefined ? null : renderTemplate(variant.subject, data),
    body: renderTemplate(variant.body, data),
  };
}
