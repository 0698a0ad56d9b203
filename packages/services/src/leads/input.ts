import { type LeadStage, newId } from "@crm/db";
import { ApiError, type FieldError } from "@crm/errors";
import {
  type CustomFieldValue,
  normalizeDomain,
  normalizeEmail,
  normalizeTags,
  validateCustomFields,
} from "@crm/records";
import type { TenantContext } from "../context";
import { customFieldDefinitionsFor } from "../records/custom-fields";
import { assertOwnerIsMember, defaultOwnerId } from "../records/owners";
import type { LeadRow } from "./serialize";

/** The writable fields of a lead, as a create, a PATCH or a bulk update gives them. */
export interface LeadInput {
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  companyName?: string | null | undefined;
  companyDomain?: string | null | undefined;
  title?: string | null | undefined;
  stage?: LeadStage | undefined;
  /** Why the stage changed (stored in the stage history). */
  stageReason?: string | null | undefined;
  /** Required when the stage becomes lost. */
  lostReason?: string | null | undefined;
  source?: string | null | undefined;
  estimatedValue?: number | null | undefined;
  ownerId?: string | null | undefined;
  tags?: string[] | undefined;
  customFields?: Record<string, unknown> | undefined;
}

export interface CheckedLeadInput extends Omit<LeadInput, "customFields"> {
  customFields?: Record<string, CustomFieldValue>;
}

export interface LeadStageChange {
  from: LeadStage | null;
  to: LeadStage;
  reason: string | null;
}

const blankToNull = (value: string | null | undefined) => (value?.trim() ? value.trim() : null);

/**
 * Normalises the email, domain and tags, checks custom fields (required ones only when
 * creating) and the owner. Every problem at once, as a 422 with paths under `prefix`.
 */
export async function checkLeadInput(
  ctx: TenantContext,
  input: LeadInput,
  options: { prefix: string; creating: boolean },
): Promise<CheckedLeadInput> {
  const { prefix } = options;
  const errors: FieldError[] = [];
  const { customFields, ...rest } = input;
  const checked: CheckedLeadInput = { ...rest };
  if (input.email) checked.email = normalizeEmail(input.email);
  if (input.companyDomain) {
    const domain = normalizeDomain(input.companyDomain);
    if (domain) checked.companyDomain = domain;
    else errors.push({ path: `${prefix}.companyDomain`, message: "Must be a domain name such as example.com" });
  }
  if (input.tags) checked.tags = normalizeTags(input.tags);
  if (customFields !== undefined || options.creating) {
    const definitions = await customFieldDefinitionsFor(ctx, "lead");
    const result = validateCustomFields(definitions, customFields, {
      partial: !options.creating,
      pathPrefix: `${prefix}.customFields`,
    });
    errors.push(...result.issues);
    checked.customFields = options.creating ? result.values : { ...(customFields as Record<string, CustomFieldValue>) };
  }
  if (input.ownerId) {
    try {
      await assertOwnerIsMember(ctx, input.ownerId, `${prefix}.ownerId`);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      errors.push(...(error.errors ?? []));
    }
  }
  if (errors.length > 0) throw new ApiError("VALIDATION_FAILED", "The lead has invalid fields", { errors });
  return checked;
}

/** A new lead before any input: stage `lead`, owned by the person creating it (API keys leave it unassigned, for triage). */
export function blankLead(ctx: TenantContext, now: Date): LeadRow {
  return {
    id: newId("lead"),
    tenantId: ctx.tenant.id,
    firstName: null,
    lastName: null,
    email: null,
    phone: null,
    companyName: null,
    companyDomain: null,
    title: null,
    stage: "lead",
    stageChangedAt: now,
    lostReason: null,
    source: null,
    estimatedValue: null,
    ownerId: defaultOwnerId(ctx),
    tags: [],
    customFields: {},
    convertedAt: null,
    convertedContactId: null,
    convertedCompanyId: null,
    convertedDealId: null,
    createdAt: now,
    updatedAt: now,
  };
}

const invalid = (path: string, message: string) =>
  new ApiError("VALIDATION_FAILED", "The lead has invalid fields", { errors: [{ path, message }] });

/**
 * The row after applying checked input, and the stage change to record (every change, the
 * first stage of a new lead included). Entering `lost` needs a lostReason; leaving it clears it.
 */
export function applyLeadInput(
  before: LeadRow,
  input: CheckedLeadInput,
  now: Date,
  options: { prefix: string; creating: boolean },
): { row: LeadRow; stageChange: LeadStageChange | null } {
  const { prefix } = options;
  const row: LeadRow = { ...before, updatedAt: now };
  if (input.firstName !== undefined) row.firstName = blankToNull(input.firstName);
  if (input.lastName !== undefined) row.lastName = blankToNull(input.lastName);
  if (input.email !== undefined) row.email = blankToNull(input.email);
  if (input.phone !== undefined) row.phone = blankToNull(input.phone);
  if (input.companyName !== undefined) row.companyName = blankToNull(input.companyName);
  if (input.companyDomain !== undefined) row.companyDomain = blankToNull(input.companyDomain);
  if (input.title !== undefined) row.title = blankToNull(input.title);
  if (input.source !== undefined) row.source = blankToNull(input.source);
  if (input.estimatedValue !== undefined) row.estimatedValue = input.estimatedValue;
  if (input.ownerId !== undefined) row.ownerId = input.ownerId;
  if (input.tags) row.tags = input.tags;
  if (input.customFields) {
    const merged = { ...before.customFields };
    for (const [key, value] of Object.entries(input.customFields)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    row.customFields = merged;
  }
  let stageChange: LeadStageChange | null = null;
  const stage = input.stage ?? before.stage;
  const lostReason = blankToNull(input.lostReason);
  if (options.creating || stage !== before.stage) {
    if (stage === "lost" && !lostReason) throw invalid(`${prefix}.lostReason`, "Required when the stage becomes lost");
    stageChange = {
      from: options.creating ? null : before.stage,
      to: stage,
      reason: stage === "lost" ? lostReason : blankToNull(input.stageReason),
    };
    row.stage = stage;
    row.stageChangedAt = now;
    row.lostReason = stage === "lost" ? lostReason : null;
  } else if (input.lostReason !== undefined) {
    if (stage !== "lost") throw invalid(`${prefix}.lostReason`, "Only a lost lead has a lost reason");
    if (!lostReason) throw invalid(`${prefix}.lostReason`, "A lost lead keeps a lost reason");
    row.lostReason = lostReason;
  }
  if (!row.firstName && !row.lastName && !row.email && !row.companyName) {
    throw invalid(`${prefix}.firstName`, "Give a first name, a last name, an email or a company name");
  }
  return { row, stageChange };
}

/** The columns a write sets (all but the key and the tenant). */
export function leadColumns(row: LeadRow) {
  const { id: _id, tenantId: _tenantId, createdAt: _createdAt, ...columns } = row;
  return columns;
}
