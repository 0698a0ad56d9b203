import { companies, type contacts, deals } from "@crm/db";
import { pickVariant, renderTemplate, type TemplateData } from "@crm/outreach";
import { and, desc, eq } from "drizzle-orm";
import { remembered, type TenantContext } from "../context";
import type { SequenceStepRow } from "./sequences";

type ContactRow = typeof contacts.$inferSelect;
type CompanyRow = typeof companies.$inferSelect;
type DealRow = typeof deals.$inferSelect;
import type { MailboxRow } from "./mailbox-credentials";
export type { MailboxRow };

/** What templateData reads of a contact (a send batch reads only these columns). */
export type TemplateContact = Pick<
  ContactRow,
  "firstName" | "lastName" | "emails" | "primaryEmail" | "title" | "phones" | "timeZone" | "customFields"
>;

/** Where a contact is reached on a channel: the primary email, or the first phone number. */
export function addressFor(
  contact: Pick<ContactRow, "primaryEmail" | "emails" | "phones">,
  channel: SequenceStepRow["channel"],
): string | null {
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
  return templateData(contact, company ?? null, deal[0] ?? null, mailbox, tenant?.name ?? null);
}

/** templateDataFor's values from rows already read (a send batch reads them for all its contacts at once). */
export function templateData(
  contact: TemplateContact,
  company: CompanyRow | null,
  deal: DealRow | null,
  mailbox: MailboxRow | null,
  tenantName: string | null,
): TemplateData {
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
    deal: deal ? { name: deal.name, value: deal.value, currency: deal.currency } : null,
    sender: {
      name: mailbox?.fromName ?? tenantName,
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
