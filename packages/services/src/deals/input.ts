import { companies, contacts, type dealStatuses, newId } from "@crm/db";
import { ApiError, type FieldError } from "@crm/errors";
import { type CustomFieldValue, normalizeTags, validateCustomFields } from "@crm/records";
import { eq } from "drizzle-orm";
import type { TenantContext } from "../context";
import type { StageRow } from "../pipelines/serialize";
import { customFieldDefinitionsFor } from "../records/custom-fields";
import { assertOwnerIsMember, defaultOwnerId } from "../records/owners";
import type { DealRow } from "./serialize";
import { isClosed } from "./stage-status";

export type DealStatus = (typeof dealStatuses)[number];

/** The writable fields of a deal, as a create, a PATCH or a bulk update gives them. The stage changes through move-stage. */
export interface DealInput {
  name?: string | undefined;
  contactId?: string | null | undefined;
  companyId?: string | null | undefined;
  status?: DealStatus | undefined;
  value?: number | undefined;
  currency?: string | undefined;
  expectedCloseDate?: string | null | undefined;
  probability?: number | undefined;
  nextActionAt?: Date | null | undefined;
  lostReason?: string | null | undefined;
  ownerId?: string | null | undefined;
  tags?: string[] | undefined;
  customFields?: Record<string, unknown> | undefined;
}

export interface CheckedDealInput extends Omit<DealInput, "customFields"> {
  customFields?: Record<string, CustomFieldValue>;
}

/**
 * Normalises tags and checks what does not depend on the target row: the linked contact
 * and company exist in the tenant, the owner is a member, custom fields match the
 * tenant's definitions. Every problem at once, as a 422 with paths under `prefix`.
 */
export async function checkDealInput(
  ctx: TenantContext,
  input: DealInput,
  options: { prefix: string; creating: boolean },
): Promise<CheckedDealInput> {
  const { prefix } = options;
  const errors: FieldError[] = [];
  const { customFields, ...rest } = input;
  const checked: CheckedDealInput = { ...rest };
  if (input.tags) checked.tags = normalizeTags(input.tags);
  if (input.name !== undefined) checked.name = input.name.trim();
  if (customFields !== undefined || options.creating) {
    const definitions = await customFieldDefinitionsFor(ctx, "deal");
    const result = validateCustomFields(definitions, customFields, {
      partial: !options.creating,
      pathPrefix: `${prefix}.customFields`,
    });
    errors.push(...result.issues);
    checked.customFields = options.creating ? result.values : { ...(customFields as Record<string, CustomFieldValue>) };
  }
  if (input.contactId && !(await ctx.db.findFirst(contacts, eq(contacts.id, input.contactId)))) {
    errors.push({ path: `${prefix}.contactId`, message: "No contact in this organization has this id" });
  }
  if (input.companyId && !(await ctx.db.findFirst(companies, eq(companies.id, input.companyId)))) {
    errors.push({ path: `${prefix}.companyId`, message: "No company in this organization has this id" });
  }
  if (input.ownerId) {
    try {
      await assertOwnerIsMember(ctx, input.ownerId, `${prefix}.ownerId`);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      errors.push(...(error.errors ?? []));
    }
  }
  if (errors.length > 0) throw new ApiError("VALIDATION_FAILED", "The deal has invalid fields", { errors });
  return checked;
}

const invalid = (path: string, message: string, detail = "The deal has invalid fields") =>
  new ApiError("VALIDATION_FAILED", detail, { errors: [{ path, message }] });

/** A new deal in `stage` before any input: owned by the person creating it. */
export function blankDeal(ctx: TenantContext, stage: StageRow, now: Date): DealRow {
  const status: DealStatus = stage.isWon ? "won" : stage.isLost ? "lost" : "active";
  return {
    id: newId("deal"),
    tenantId: ctx.tenant.id,
    name: "",
    contactId: null,
    companyId: null,
    pipelineId: stage.pipelineId,
    stageId: stage.id,
    stageEnteredAt: now,
    status,
    value: 0,
    currency: "USD",
    expectedCloseDate: null,
    closedAt: isClosed(status) ? now : null,
    probability: stage.probability,
    nextActionAt: null,
    lostReason: null,
    ownerId: defaultOwnerId(ctx),
    tags: [],
    customFields: {},
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * The row after applying checked input. In a won or lost stage the status is the stage's;
 * elsewhere it may be set freely, and closing (won/lost) stamps closedAt while reopening clears it.
 */
export function applyDealInput(
  before: DealRow,
  input: CheckedDealInput,
  stage: StageRow,
  now: Date,
  prefix: string,
): DealRow {
  const row: DealRow = { ...before, updatedAt: now };
  if (input.name !== undefined) row.name = input.name;
  if (input.contactId !== undefined) row.contactId = input.contactId;
  if (input.companyId !== undefined) row.companyId = input.companyId;
  if (input.value !== undefined) row.value = input.value;
  if (input.currency !== undefined) row.currency = input.currency;
  if (input.expectedCloseDate !== undefined) row.expectedCloseDate = input.expectedCloseDate;
  if (input.probability !== undefined) row.probability = input.probability;
  if (input.nextActionAt !== undefined) row.nextActionAt = input.nextActionAt;
  if (input.lostReason !== undefined) row.lostReason = input.lostReason?.trim() || null;
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
  if (input.status !== undefined && input.status !== before.status) {
    const stageStatus = stage.isWon ? "won" : stage.isLost ? "lost" : null;
    if (stageStatus && input.status !== stageStatus) {
      throw invalid(
        `${prefix}.status`,
        `The deal is in the ${stageStatus} stage "${stage.name}"; move it to another stage to change its status`,
      );
    }
    row.status = input.status;
    row.closedAt = isClosed(input.status) ? now : null;
    if (before.status === "lost" && input.lostReason === undefined) row.lostReason = null;
  }
  if (!row.name) throw invalid(`${prefix}.name`, "Required");
  return row;
}

/** The columns a write sets (all but the key and the tenant). */
export function dealColumns(row: DealRow) {
  const { id: _id, tenantId: _tenantId, createdAt: _createdAt, ...columns } = row;
  return columns;
}
