import { companies, contacts, type LifecycleStage } from "@crm/db";
import { ApiError } from "@crm/errors";
import { eq } from "drizzle-orm";
import { applyCompanyInput, blankCompany, checkCompanyInput } from "../companies/input";
import type { CompanyRow } from "../companies/public";
import { applyContactInput, blankContact, checkContactInput } from "../contacts/input";
import type { ContactRow } from "../contacts/public";
import type { TenantContext } from "../context";
import { canSeeRecord } from "../records/visibility";
import type { LeadRow } from "./serialize";

/** The contact and company a conversion links (found) or creates (built here, written by the caller's batch). */
const notFound = (what: "contact" | "company", id: string) =>
  new ApiError("NOT_FOUND", `${what === "contact" ? "Contact" : "Company"} ${id} was not found`, {
    errors: [{ path: `body.${what}Id`, message: `No ${what} in this organization has this id` }],
  });

/** The contact's lifecycle stage: an opportunity when a deal opens, else where the lead stood. */
export function lifecycleFor(lead: LeadRow, withDeal: boolean): LifecycleStage {
  if (withDeal && lead.stage !== "customer") return "opportunity";
  return lead.stage === "lost" ? "lead" : lead.stage;
}

export interface Resolved<T> {
  row: T | null;
  created: boolean;
}

export async function resolveCompany(
  ctx: TenantContext,
  lead: LeadRow,
  companyId: string | undefined,
  now: Date,
): Promise<Resolved<CompanyRow>> {
  if (companyId) {
    const row = await ctx.db.findFirst(companies, eq(companies.id, companyId));
    if (!row || !(await canSeeRecord(ctx, row.ownerId))) throw notFound("company", companyId);
    return { row, created: false };
  }
  if (lead.companyDomain) {
    const row = await ctx.db.findFirst(companies, eq(companies.domain, lead.companyDomain));
    if (row) return { row, created: false };
  }
  if (!lead.companyName && !lead.companyDomain) return { row: null, created: false };
  const checked = await checkCompanyInput(
    ctx,
    { name: lead.companyName ?? lead.companyDomain!, domain: lead.companyDomain },
    { prefix: "body.company", creating: true },
  );
  const row = applyCompanyInput(blankCompany(ctx, now), checked, now);
  return { row: { ...row, ownerId: lead.ownerId ?? row.ownerId }, created: true };
}

export async function resolveContact(
  ctx: TenantContext,
  lead: LeadRow,
  input: { contactId?: string | undefined; companyId: string | null; lifecycle: LifecycleStage },
  now: Date,
): Promise<Resolved<ContactRow> & { lifecycle: { from: null; to: LifecycleStage } | null }> {
  if (input.contactId) {
    const row = await ctx.db.findFirst(contacts, eq(contacts.id, input.contactId));
    if (!row || !(await canSeeRecord(ctx, row.ownerId))) throw notFound("contact", input.contactId);
    return { row, created: false, lifecycle: null };
  }
  if (lead.email) {
    const row = await ctx.db.findFirst(contacts, eq(contacts.primaryEmail, lead.email));
    if (row) return { row, created: false, lifecycle: null };
  }
  if (!lead.firstName && !lead.lastName && !lead.email) return { row: null, created: false, lifecycle: null };
  const checked = await checkContactInput(
    ctx,
    {
      firstName: lead.firstName,
      lastName: lead.lastName,
      emails: lead.email ? [{ address: lead.email, primary: true }] : [],
      phones: lead.phone ? [{ number: lead.phone }] : [],
      title: lead.title,
      source: lead.source,
      tags: lead.tags,
      lifecycleStage: input.lifecycle,
    },
    { prefix: "body.contact", creating: true },
  );
  const { row } = applyContactInput(blankContact(ctx, now), checked, now, "body.contact");
  return {
    row: { ...row, companyId: input.companyId, ownerId: lead.ownerId ?? row.ownerId },
    created: true,
    lifecycle: { from: null, to: input.lifecycle },
  };
}
