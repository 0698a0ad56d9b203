import { companies } from "@crm/db";
import { ApiError } from "@crm/errors";
import { normalizeTags } from "@crm/records";
import type { BatchItem } from "drizzle-orm/batch";
import type { BulkAction } from "../contacts/bulk";
import type { TenantContext } from "../context";
import { loadBulkTargets } from "../records/bulk";
import { visibilityCondition } from "../records/visibility";
import { applyCompanyInput, checkCompanyInput, type CompanyInput } from "./input";
import { sameCompany } from "./public";
import { companyDeleteQueries, companySaveQueries, runCompanyBatch } from "./write";

/** What a bulk update may set on many companies at once (not the name or domain: those identify one company). */
export type CompanyBulkChanges = Pick<
  CompanyInput,
  "industry" | "size" | "annualRevenue" | "website" | "domainAuthority" | "ownerId" | "customFields"
>;

export interface CompanyBulkRequest {
  action: BulkAction;
  ids: string[];
  changes?: CompanyBulkChanges | undefined;
  ownerId?: string | null | undefined;
  tags?: string[] | undefined;
}

const missing = (path: string, message: string) =>
  new ApiError("VALIDATION_FAILED", "The bulk request is incomplete", { errors: [{ path, message }] });

function inputFor(request: CompanyBulkRequest): { input: CompanyInput; prefix: string } {
  switch (request.action) {
    case "update":
      if (!request.changes || Object.keys(request.changes).length === 0)
        throw missing("body.changes", "Give at least one field to change");
      return { input: request.changes, prefix: "body.changes" };
    case "assign":
      if (request.ownerId === undefined)
        throw missing("body.ownerId", "Give the new owner's user id, or null to unassign");
      return { input: { ownerId: request.ownerId }, prefix: "body" };
    case "tag":
    case "untag":
      if (!request.tags || normalizeTags(request.tags).length === 0)
        throw missing("body.tags", "Give at least one tag");
      return { input: { tags: request.tags }, prefix: "body" };
    case "delete":
      return { input: {}, prefix: "body" };
  }
}

/** Update, delete, assign, tag or untag up to 1,000 companies in one D1 batch: all or nothing. */
export async function bulkCompanies(ctx: TenantContext, request: CompanyBulkRequest) {
  const { input, prefix } = inputFor(request);
  const rows = await loadBulkTargets(ctx.db, companies, companies.id, request.ids, {
    entity: "company",
    visible: await visibilityCondition(ctx, companies.ownerId),
  });
  if (request.action === "delete") {
    await ctx.db.batch((await companyDeleteQueries(ctx, rows)) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    return { results: rows.map((r) => ({ id: r.id, status: "deleted" as const })) };
  }
  const checked = await checkCompanyInput(ctx, input, { prefix, creating: false });
  const now = new Date();
  const queries: BatchItem<"sqlite">[] = [];
  for (const before of rows) {
    const tags =
      request.action === "tag"
        ? normalizeTags([...before.tags, ...(checked.tags ?? [])])
        : request.action === "untag"
          ? before.tags.filter((t) => !checked.tags?.includes(t))
          : checked.tags;
    const row = applyCompanyInput(before, { ...checked, tags }, now);
    if (!sameCompany(before, row)) queries.push(...(await companySaveQueries(ctx, before, row)));
  }
  if (queries.length > 0) await runCompanyBatch(ctx, queries, []);
  return { results: rows.map((r) => ({ id: r.id, status: "updated" as const })) };
}
