import { ApiError } from "@crm/errors";
import { auditQuery } from "../audit";
import type { TenantContext } from "../context";

export type VisibilityRule = "all" | "own";

/** Roles the setting applies to: owners and admins always see every record. */
export interface RecordVisibility {
  member: VisibilityRule;
  viewer: VisibilityRule;
}

async function currentSettings(ctx: TenantContext) {
  const tenant = await ctx.db.tenant();
  if (!tenant) throw new ApiError("NOT_FOUND", "The organization was not found");
  return tenant.settings;
}

export async function getRecordVisibility(ctx: TenantContext): Promise<RecordVisibility> {
  const settings = await currentSettings(ctx);
  return { member: settings.recordVisibility?.member ?? "all", viewer: settings.recordVisibility?.viewer ?? "all" };
}

/**
 * Changes who sees which records (owner/admin only, checked by the route). Lists, search,
 * timelines and detail reads read the setting on every request, so it applies at once.
 */
export async function updateRecordVisibility(
  ctx: TenantContext,
  changes: Partial<RecordVisibility>,
): Promise<RecordVisibility> {
  const settings = await currentSettings(ctx);
  const before: RecordVisibility = {
    member: settings.recordVisibility?.member ?? "all",
    viewer: settings.recordVisibility?.viewer ?? "all",
  };
  const after: RecordVisibility = { member: changes.member ?? before.member, viewer: changes.viewer ?? before.viewer };
  if (after.member === before.member && after.viewer === before.viewer) return after;
  await ctx.db.batch([
    ctx.db.updateTenantSettingsQuery({ ...settings, recordVisibility: { ...settings.recordVisibility, ...after } }),
    auditQuery(ctx, {
      action: "update",
      entity: "tenant_settings",
      entityId: ctx.tenant.id,
      before: { recordVisibility: before },
      after: { recordVisibility: after },
    }),
  ]);
  return after;
}
