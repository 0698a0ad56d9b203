// Which of a tenant's templates (sequence step variants) works: how often content was generated
// from each, how often it was sent and answered, people's ratings of what was generated, and
// the ranking on the reply rate's lower confidence bound, with its explanation.
import { rankTemplates } from "@crm/ai";
import { aiOutputs, outreachMessages, sequenceSteps, sequences } from "@crm/db";
import { and, asc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { TenantContext } from "../context";

const keyOf = (stepId: string, variantKey: string) => `${stepId}\u0000${variantKey}`;

/** Every variant of the tenant's live steps, best first, with usage, replies and ratings. */
export async function contentTemplateStats(ctx: TenantContext) {
  const [liveSequences, steps, sends, generations, ratings] = await Promise.all([
    ctx.db.findMany(sequences, { where: isNull(sequences.deletedAt) }),
    ctx.db.findMany(sequenceSteps, {
      where: isNull(sequenceSteps.deletedAt),
      orderBy: [asc(sequenceSteps.sequenceId), asc(sequenceSteps.position)],
    }),
    ctx.db.aggregateQuery(
      outreachMessages,
      {
        stepId: outreachMessages.stepId,
        variantKey: outreachMessages.variantKey,
        sent: sql<number>`count(${outreachMessages.sentAt})`,
        // A reply counts for a message that was sent.
        replied: sql<number>`sum(case when ${outreachMessages.sentAt} is not null and ${outreachMessages.repliedAt} is not null then 1 else 0 end)`,
      },
      {
        where: and(isNotNull(outreachMessages.stepId), isNotNull(outreachMessages.variantKey)),
        groupBy: [outreachMessages.stepId, outreachMessages.variantKey],
      },
    ),
    ctx.db.aggregateQuery(
      aiOutputs,
      { templateId: aiOutputs.templateId, variantKey: aiOutputs.variantKey, generated: sql<number>`count(*)` },
      {
        where: and(eq(aiOutputs.capability, "content"), isNotNull(aiOutputs.templateId)),
        groupBy: [aiOutputs.templateId, aiOutputs.variantKey],
      },
    ),
    ctx.db.aggregateQuery(
      aiOutputs,
      { templateId: aiOutputs.templateId, variantKey: aiOutputs.variantKey, rating: aiOutputs.rating },
      {
        where: and(eq(aiOutputs.capability, "content"), isNotNull(aiOutputs.templateId), isNotNull(aiOutputs.rating)),
      },
    ),
  ]);

  const sequenceNames = new Map(liveSequences.map((s) => [s.id, s.name]));
  const sendsBy = new Map(sends.map((r) => [keyOf(r.stepId!, r.variantKey!), r]));
  const generatedBy = new Map(generations.map((r) => [keyOf(r.templateId!, r.variantKey ?? ""), r.generated]));
  const ratingsBy = new Map<string, number[]>();
  for (const r of ratings) {
    const key = keyOf(r.templateId!, r.variantKey ?? "");
    ratingsBy.set(key, [...(ratingsBy.get(key) ?? []), r.rating!]);
  }

  const templates = steps.flatMap((step) => {
    const sequenceName = sequenceNames.get(step.sequenceId);
    if (sequenceName === undefined) return [];
    return step.variants.map((variant) => {
      const key = keyOf(step.id, variant.key);
      const sent = sendsBy.get(key);
      return {
        key,
        stepId: step.id,
        variantKey: variant.key,
        sequenceId: step.sequenceId,
        sequenceName,
        position: step.position,
        channel: step.channel,
        subject: variant.subject ?? null,
        name: `${sequenceName}, step ${step.position}${step.variants.length > 1 ? ` variant ${variant.key}` : ""}`,
        generated: generatedBy.get(key) ?? 0,
        sent: sent?.sent ?? 0,
        replied: sent?.replied ?? 0,
        ratings: ratingsBy.get(key) ?? [],
      };
    });
  });
  const byKey = new Map(templates.map((t) => [t.key, t]));

  const ranking = rankTemplates(
    templates.map((t) => ({ templateId: t.key, name: t.name, sent: t.sent, replied: t.replied, ratings: t.ratings })),
  );
  const data = ranking.result.map((rank, index) => {
    const t = byKey.get(rank.templateId)!;
    const lower = rank.replyRateLowerBound;
    return {
      rank: index + 1,
      templateId: t.stepId,
      variantKey: t.variantKey,
      name: t.name,
      sequenceId: t.sequenceId,
      channel: t.channel,
      subject: t.subject,
      generated: t.generated,
      sent: rank.sent,
      replied: rank.replied,
      replyRate: rank.replyRate,
      replyRateLowerBound: lower,
      averageRating: rank.averageRating,
      ratingCount: rank.ratingCount,
      why:
        rank.sent === 0
          ? "Not sent yet: no reply rate to rank on."
          : `${rank.replied} of ${rank.sent} sends replied (${(rank.replyRate! * 100).toFixed(1)}%); ` +
            `at least ${(lower * 100).toFixed(1)}% with 95% confidence` +
            (rank.averageRating === null ? "." : `; rated ${rank.averageRating} from ${rank.ratingCount}.`),
    };
  });
  return {
    data,
    explanation: ranking.explanation,
    factors: ranking.factors,
    engine: ranking.engine,
  };
}
