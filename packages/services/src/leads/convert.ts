import { activities, leads, newId } from "@crm/db";
import { ApiError } from "@crm/errors";
import type { BatchItem } from "drizzle-orm/batch";
import { eq, sql } from "drizzle-orm";
import { publicActivity } from "../activities/activities";
import type { AuditChange } from "../audit";
import { recordChangeQueries } from "../events/record";
import { isGuardFailure, isUniqueViolation } from "../batch-guard";
import { publicCompany } from "../companies/public";
import { companySaveQueries } from "../companies/write";
import { publicContact } from "../contacts/public";
import { contactSaveQueries } from "../contacts/write";
import type { TenantContext } from "../context";
import { type DealRow, publicDeal } from "../deals/serialize";
import { dealSaveQueries, newDealRow } from "../deals/write";
import { lifecycleFor, resolveCompany, resolveContact } from "./convert-targets";
import { leadDisplayName, type LeadRow, publicLead } from "./serialize";
import { findVisibleLead } from "./write";

export interface ConvertLeadInput {
  /** Link this existing contact instead of finding one by the lead's email or creating one. */
  contactId?: string | undefined;
  /** Link this existing company instead of finding one by the lead's domain or creating one. */
  companyId?: string | undefined;
  /** Also open a deal (default: name from the lead, value its estimated value, the first pipeline's first stage). */
  createDeal?:
    | {
        name?: string | undefined;
        value?: number | undefined;
        currency?: string | undefined;
        pipelineId?: string | undefined;
        stageId?: string | undefined;
      }
    | undefined;
}

/**
 * Converts a lead: finds or creates its company (by normalised domain) and contact (by
 * email), optionally opens a deal, notes the conversion on each record's timeline and marks
 * the lead converted (its stage stays), all in ONE D1 batch: all or nothing. A lead that
 * is already converted (even by a concurrent request) is a 409; so is a lost lead.
 */
export async function convertLead(ctx: TenantContext, id: string, input: ConvertLeadInput) {
  const lead = await findVisibleLead(ctx, id);
  const converted = () =>
    new ApiError("CONFLICT", `Lead ${id} is already converted`, {
      extensions: {
        contactId: lead.convertedContactId,
        companyId: lead.convertedCompanyId,
        dealId: lead.convertedDealId,
      },
    });
  if (lead.convertedAt) throw converted();
  if (lead.stage === "lost")
    throw new ApiError("CONFLICT", `Lead ${id} is lost; move it to another stage before converting it`);
  const now = new Date();
  const company = await resolveCompany(ctx, lead, input.companyId, now);
  const contact = await resolveContact(
    ctx,
    lead,
    {
      contactId: input.contactId,
      companyId: company.row?.id ?? null,
      lifecycle: lifecycleFor(lead, !!input.createDeal),
    },
    now,
  );
  let deal: DealRow | null = null;
  if (input.createDeal) {
    const { name, value, currency, pipelineId, stageId } = input.createDeal;
    const row = await newDealRow(
      ctx,
      {
        name: name ?? lead.companyName ?? leadDisplayName(lead),
        value: value ?? lead.estimatedValue ?? 0,
        currency,
        pipelineId,
        stageId,
      },
      "body.createDeal",
      now,
    );
    deal = {
      ...row,
      contactId: contact.row?.id ?? null,
      companyId: company.row?.id ?? null,
      ownerId: lead.ownerId ?? row.ownerId,
    };
  }

  const after: LeadRow = {
    ...lead,
    convertedAt: now,
    convertedContactId: contact.row?.id ?? null,
    convertedCompanyId: company.row?.id ?? null,
    convertedDealId: deal?.id ?? null,
    updatedAt: now,
  };
  const subject = `Converted from lead ${leadDisplayName(lead)} (${lead.id})`;
  const body = [
    contact.row && `Contact ${contact.row.id} (${contact.created ? "created" : "linked"})`,
    company.row && `Company ${company.row.id} (${company.created ? "created" : "linked"})`,
    deal && `Deal ${deal.id} (created)`,
  ]
    .filter(Boolean)
    .join("\n");
  const timeline = [
    { recordType: "lead" as const, recordId: lead.id },
    ...(contact.row ? [{ recordType: "contact" as const, recordId: contact.row.id }] : []),
    ...(company.row ? [{ recordType: "company" as const, recordId: company.row.id }] : []),
    ...(deal ? [{ recordType: "deal" as const, recordId: deal.id }] : []),
  ].map((ref) => ({
    id: newId("activity"),
    type: "note" as const,
    ...ref,
    subject,
    body,
    occurredAt: now,
    durationMinutes: null,
    outcome: null,
    actorId: ctx.actor.id,
    createdAt: now,
    updatedAt: now,
  }));

  const queries: BatchItem<"sqlite">[] = [
    // First in the batch: a conversion that committed meanwhile aborts this one.
    ctx.db.updateQuery(
      leads,
      { stageChangedAt: sql`case when ${leads.convertedAt} is null then ${leads.stageChangedAt} else null end` },
      eq(leads.id, id),
    ),
    ...(company.created && company.row ? await companySaveQueries(ctx, null, company.row) : []),
    ...(contact.created && contact.row
      ? contactSaveQueries(ctx, null, contact.row, {
          lifecycle: contact.lifecycle,
          companyName: company.row?.name ?? null,
          reindex: true,
        })
      : []),
    ...(deal ? await dealSaveQueries(ctx, null, deal) : []),
    ...timeline.map((row) => ctx.db.insertQuery(activities, row)),
    ctx.db.updateQuery(
      leads,
      {
        convertedAt: now,
        convertedContactId: after.convertedContactId,
        convertedCompanyId: after.convertedCompanyId,
        convertedDealId: after.convertedDealId,
        updatedAt: now,
      },
      eq(leads.id, id),
    ),
    ...recordChangeQueries(ctx, [
      {
        action: "update",
        entity: "lead",
        entityId: id,
        before: publicLead(lead),
        after: publicLead(after),
      },
    ]),
    ...recordChangeQueries(
      ctx,
      timeline.map((row): AuditChange => ({
        action: "create",
        entity: "activity",
        entityId: row.id,
        after: publicActivity({ ...row, tenantId: ctx.tenant.id }),
      })),
    ),
  ];
  try {
    await ctx.db.batch(queries as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (error) {
    if (isGuardFailure(error, leads.stageChangedAt)) throw converted();
    if (isUniqueViolation(error)) {
      throw new ApiError(
        "CONFLICT",
        "A contact with the lead's email or a company with its domain was created meanwhile; convert again to link it",
      );
    }
    throw error;
  }
  return {
    lead: publicLead(after),
    contact: contact.row ? publicContact(contact.row) : null,
    company: company.row ? publicCompany(company.row) : null,
    deal: deal ? publicDeal(deal) : null,
    created: { contact: contact.created, company: company.created, deal: deal !== null },
  };
}
