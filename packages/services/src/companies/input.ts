import { newId } from "@crm/db";
import { ApiError, type FieldError } from "@crm/errors";
import { type CustomFieldValue, normalizeDomain, normalizeTags, validateCustomFields } from "@crm/records";
import type { TenantContext } from "../context";
import { customFieldDefinitionsFor } from "../records/custom-fields";
import { assertOwnerIsMember, defaultOwnerId } from "../records/owners";
import type { CompanyRow } from "./public";

/** The writable fields of a company, as a create, a PATCH or a bulk update gives them. */
export interface CompanyInput {
  name?: string;
  domain?: string | null;
  industry?: string | null;
  size?: string | null;
  annualRevenue?: number | null;
  website?: string | null;
  domainAuthority?: number | null;
  ownerId?: string | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
}

export interface CheckedCompanyInput extends Omit<CompanyInput, "customFields"> {
  customFields?: Record<string, CustomFieldValue>;
}

/**
 * Normalises the domain (`https://www.Example.com/x` → `example.com`) and tags, checks
 * custom fields (required ones only when creating) and the owner. Every problem is
 * reported at once, as a 422 with field paths under `prefix`.
 */
export async function checkCompanyInput(
  ctx: TenantContext,
  input: CompanyInput,
  options: { prefix: string; creating: boolean },
): Promise<CheckedCompanyInput> {
  const { prefix } = options;
  const errors: FieldError[] = [];
  const { customFields, ...rest } = input;
  const checked: CheckedCompanyInput = { ...rest };
  // A blank domain means none: stored as "", two companies without a domain would collide on the unique index.
  if (typeof input.domain === "string" && input.domain.trim() === "") checked.domain = null;
  else if (input.domain) {
    const domain = normalizeDomain(input.domain);
    if (domain) checked.domain = domain;
    else errors.push({ path: `${prefix}.domain`, message: "Must be a domain name such as example.com" });
  }
  if (input.tags) checked.tags = normalizeTags(input.tags);
  if (customFields !== undefined || options.creating) {
    const definitions = await customFieldDefinitionsFor(ctx, "company");
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
  if (errors.length > 0) throw new ApiError("VALIDATION_FAILED", "The company has invalid fields", { errors });
  return checked;
}

export function blankCompany(ctx: TenantContext, now: Date): CompanyRow {
  return {
    id: newId("company"),
    tenantId: ctx.tenant.id,
    name: "",
    domain: null,
    industry: null,
    size: null,
    annualRevenue: null,
    website: null,
    domainAuthority: null,
    ownerId: defaultOwnerId(ctx),
    tags: [],
    customFields: {},
    createdAt: now,
    updatedAt: now,
  };
}

const blankToNull = (value: string | null | undefined) => (value?.trim() ? value.trim() : null);

/** The row after applying checked input. */
export function applyCompanyInput(before: CompanyRow, input: CheckedCompanyInput, now: Date): CompanyRow {
  const row: CompanyRow = { ...before, updatedAt: now };
  if (input.name !== undefined) row.name = input.name.trim();
  if (input.domain !== undefined) row.domain = input.domain;
  if (input.industry !== undefined) row.industry = blankToNull(input.industry);
  if (input.size !== undefined) row.size = blankToNull(input.size);
  if (input.annualRevenue !== undefined) row.annualRevenue = input.annualRevenue;
  if (input.website !== undefined) row.website = blankToNull(input.website);
  if (input.domainAuthority !== undefined) row.domainAuthority = input.domainAuthority;
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
  return row;
}

/** The columns a write sets (all but the key and the tenant). */
export function companyColumns(row: CompanyRow) {
  const { id: _id, tenantId: _tenantId, createdAt: _createdAt, ...columns } = row;
  return columns;
}
