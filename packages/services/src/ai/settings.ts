import { DEFAULT_LEAD_SCORING, type IcpRule, type LeadScoringConfig, type QualificationThresholds } from "@crm/ai";
import type { AiAgentMode } from "@crm/db";
import { ApiError } from "@crm/errors";
import { auditQuery } from "../audit";
import type { TenantContext } from "../context";

export interface AiScoringSettings {
  qualification: QualificationThresholds;
  blend: { rules: number; model: number };
  icpRules: IcpRule[];
}

async function tenantSettings(ctx: TenantContext) {
  const tenant = await ctx.db.tenant();
  if (!tenant) throw new ApiError("NOT_FOUND", "The organization was not found");
  return tenant.settings;
}

/** The tenant's lead scoring settings, each part at the engine's default until changed (70/75/40). */
export async function getAiScoringSettings(ctx: TenantContext): Promise<AiScoringSettings> {
  const stored = (await tenantSettings(ctx)).aiScoring ?? {};
  return {
    qualification: stored.qualification ?? DEFAULT_LEAD_SCORING.qualification,
    blend: stored.blend ?? DEFAULT_LEAD_SCORING.blend,
    icpRules: (stored.icpRules as IcpRule[] | undefined) ?? DEFAULT_LEAD_SCORING.icpRules,
  };
}

export function leadScoringConfig(settings: AiScoringSettings): LeadScoringConfig {
  return { ...DEFAULT_LEAD_SCORING, ...settings };
}

export async function updateAiScoringSettings(
  ctx: TenantContext,
  changes: Partial<AiScoringSettings>,
): Promise<AiScoringSettings> {
  const settings = await tenantSettings(ctx);
  const before = await getAiScoringSettings(ctx);
  const after: AiScoringSettings = { ...before, ...changes };
  const { qualify, moveToMql, disqualify } = after.qualification;
  if (disqualify > qualify)
    throw new ApiError("VALIDATION_FAILED", "The disqualify threshold cannot be above the qualify threshold", {
      errors: [{ path: "body.qualification.disqualify", message: `Must be at most qualify (${qualify})` }],
    });
  if (moveToMql < disqualify)
    throw new ApiError("VALIDATION_FAILED", "The MQL threshold cannot be below the disqualify threshold", {
      errors: [{ path: "body.qualification.moveToMql", message: `Must be at least disqualify (${disqualify})` }],
    });
  if (after.blend.rules + after.blend.model <= 0)
    throw new ApiError("VALIDATION_FAILED", "The blend needs a positive weight", {
      errors: [{ path: "body.blend", message: "rules + model must be above 0" }],
    });
  await ctx.db.batch([
    ctx.db.updateTenantSettingsQuery({ ...settings, aiScoring: after }),
    auditQuery(ctx, {
      action: "update",
      entity: "tenant_settings",
      entityId: ctx.tenant.id,
      before: { aiScoring: before },
      after: { aiScoring: after },
    }),
  ]);
  return after;
}

/** The pipeline agent's settings: a tenant that never chose a mode is `off`. */
export interface AiAgentSettings {
  mode: AiAgentMode;
}

export async function getAiAgentSettings(ctx: TenantContext): Promise<AiAgentSettings> {
  return { mode: (await tenantSettings(ctx)).aiAgent?.mode ?? "off" };
}

/** Every AI setting: lead scoring and the pipeline agent (GET /ai/settings). */
export type AiSettings = AiScoringSettings & { agent: AiAgentSettings };

export async function getAiSettings(ctx: TenantContext): Promise<AiSettings> {
  const [scoring, agent] = await Promise.all([getAiScoringSettings(ctx), getAiAgentSettings(ctx)]);
  return { ...scoring, agent };
}

/** Changes any part of the AI settings: the scoring part is checked as updateAiScoringSettings does. */
export async function updateAiSettings(
  ctx: TenantContext,
  changes: Partial<AiScoringSettings> & { agent?: AiAgentSettings | undefined },
): Promise<AiSettings> {
  const { agent, ...scoring } = changes;
  const scoringChanged = Object.values(scoring).some((value) => value !== undefined);
  if (scoringChanged) await updateAiScoringSettings(ctx, scoring);
  if (agent) {
    const settings = await tenantSettings(ctx);
    const before = await getAiAgentSettings(ctx);
    if (before.mode !== agent.mode) {
      await ctx.db.batch([
        ctx.db.updateTenantSettingsQuery({ ...settings, aiAgent: { mode: agent.mode } }),
        auditQuery(ctx, {
          action: "update",
          entity: "tenant_settings",
          entityId: ctx.tenant.id,
          before: { aiAgent: before },
          after: { aiAgent: { mode: agent.mode } },
        }),
      ]);
    }
  }
  return getAiSettings(ctx);
}
