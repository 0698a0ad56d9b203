import { customFieldDefinitions, memberships, pipelineStages, pipelines, sequences } from "@crm/db";
import { ApiError } from "@crm/errors";
import {
  type CustomFieldInfo,
  type DefinitionLookups,
  validateDefinition,
  type WorkflowDefinition,
  type WorkflowObject,
  workflowObjects,
} from "@crm/workflows";
import { and, eq, isNull } from "drizzle-orm";
import type { TenantContext } from "../context";
import { type UrlPolicy, webhookUrlProblem } from "../webhooks/url-policy";

/** What a definition is checked against: the tenant's custom fields, members and pipelines (three reads, one round trip). */
export async function definitionLookups(ctx: TenantContext): Promise<DefinitionLookups> {
  const [fields, members, allPipelines, stages] = await ctx.db.batch([
    ctx.db.selectQuery(customFieldDefinitions),
    ctx.db.selectQuery(memberships),
    ctx.db.selectQuery(pipelines),
    ctx.db.selectQuery(pipelineStages),
  ]);
  const customFields = Object.fromEntries(workflowObjects.map((o) => [o, [] as CustomFieldInfo[]])) as Record<
    WorkflowObject,
    CustomFieldInfo[]
  >;
  for (const field of fields as (typeof customFieldDefinitions.$inferSelect)[]) {
    customFields[field.objectType as WorkflowObject]?.push({
      key: field.key,
      type: field.type,
      options: field.options,
    });
  }
  return {
    customFields,
    memberIds: new Set((members as (typeof memberships.$inferSelect)[]).map((m) => m.userId)),
    pipelines: (allPipelines as (typeof pipelines.$inferSelect)[]).map((p) => ({
      id: p.id,
      stageIds: (stages as (typeof pipelineStages.$inferSelect)[])
        .filter((s) => s.pipelineId === p.id)
        .map((s) => s.id),
    })),
  };
}

/** 422 with every problem at its body path (`body.actions.2.field`) when the definition does not fit the tenant. */
export async function checkDefinition(
  ctx: TenantContext,
  definition: WorkflowDefinition,
  policy: UrlPolicy,
  prefix = "body",
): Promise<void> {
  const issues = validateDefinition(definition, await definitionLookups(ctx));
  definition.actions.forEach((action, i) => {
    if (action.type !== "call_webhook") return;
    const problem = webhookUrlProblem(action.url, policy);
    if (problem) issues.push({ path: `actions.${i}.url`, message: problem });
  });
  for (const [i, action] of definition.actions.entries()) {
    if (action.type !== "enroll_in_sequence") continue;
    const sequence = await ctx.db.findFirst(
      sequences,
      and(eq(sequences.id, action.sequenceId), isNull(sequences.deletedAt))!,
    );
    if (!sequence)
      issues.push({ path: `actions.${i}.sequenceId`, message: `Sequence ${action.sequenceId} was not found` });
  }
  if (issues.length > 0) {
    throw new ApiError("VALIDATION_FAILED", "The workflow has invalid fields", {
      errors: issues.map((issue) => ({ path: `${prefix}.${issue.path}`, message: issue.message })),
    });
  }
}
