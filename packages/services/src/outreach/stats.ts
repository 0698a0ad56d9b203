import { outreachMessages, sequenceSteps } from "@crm/db";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import { findSequence } from "./sequences";

const counted = {
  sent: sql<number>`count(${outreachMessages.sentAt})`,
  opened: sql<number>`count(${outreachMessages.firstOpenedAt})`,
  clicked: sql<number>`count(${outreachMessages.firstClickedAt})`,
  replied: sql<number>`count(${outreachMessages.repliedAt})`,
  bounced: sql<number>`count(${outreachMessages.bouncedAt})`,
  unsubscribed: sql<number>`count(${outreachMessages.unsubscribedAt})`,
  skipped: sql<number>`sum(case when ${outreachMessages.status} = 'skipped' then 1 else 0 end)`,
  failed: sql<number>`sum(case when ${outreachMessages.status} = 'failed' then 1 else 0 end)`,
};
type Counts = { [K in keyof typeof counted]: number };

const zero = (): Counts => ({
  sent: 0,
  opened: 0,
  clicked: 0,
  replied: 0,
  bounced: 0,
  unsubscribed: 0,
  skipped: 0,
  failed: 0,
});

function add(into: Counts, from: Counts) {
  for (const key of Object.keys(into) as (keyof Counts)[]) into[key] += from[key];
}

/**
 * Per step and variant: messages sent, opened, clicked, replied, bounced, unsubscribed (each
 * message counted once, from its timestamps), skipped and failed. Retired steps that sent
 * appear with `retired: true`.
 */
export async function sequenceStats(ctx: TenantContext, sequenceId: string) {
  await findSequence(ctx, sequenceId);
  const rows = await ctx.db.aggregateQuery(
    outreachMessages,
    { stepId: outreachMessages.stepId, variantKey: outreachMessages.variantKey, ...counted },
    {
      where: eq(outreachMessages.sequenceId, sequenceId),
      groupBy: [outreachMessages.stepId, outreachMessages.variantKey],
    },
  );
  const stepIds = [...new Set(rows.map((r) => r.stepId).filter((id): id is string => !!id))];
  const steps = await ctx.db.findMany(sequenceSteps, {
    where: and(
      eq(sequenceSteps.sequenceId, sequenceId),
      stepIds.length > 0
        ? sql`(${sequenceSteps.deletedAt} is null or ${inArray(sequenceSteps.id, stepIds)})`
        : sql`${sequenceSteps.deletedAt} is null`,
    ),
    orderBy: asc(sequenceSteps.position),
  });
  const totals = zero();
  const data = steps.map((step) => {
    const stepTotals = zero();
    const keys = [
      ...new Set([
        ...step.variants.map((v) => v.key),
        ...rows.filter((r) => r.stepId === step.id).map((r) => r.variantKey ?? ""),
      ]),
    ];
    const variants = keys
      .filter((key) => key !== "" || rows.some((r) => r.stepId === step.id && !r.variantKey))
      .map((key) => {
        const counts = zero();
        for (const r of rows.filter((row) => row.stepId === step.id && (row.variantKey ?? "") === key))
          add(
            counts,
            Object.fromEntries(Object.keys(counts).map((k) => [k, Number(r[k as keyof Counts] ?? 0)])) as Counts,
          );
        add(stepTotals, counts);
        return { variantKey: key === "" ? null : key, ...counts };
      });
    add(totals, stepTotals);
    return {
      stepId: step.id,
      position: step.position,
      channel: step.channel,
      retired: step.deletedAt !== null,
      ...stepTotals,
      variants,
    };
  });
  return { sequenceId, totals, steps: data };
}
