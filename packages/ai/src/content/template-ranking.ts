// Which of a tenant's templates works: usage, reply rate and people's ratings per template,
// ranked so that a template sent three times and answered once does not beat one answered
// forty times out of four hundred on luck alone.
import { type Explained, builtin } from "../engine";

export const templateRankingEngine = builtin("template-ranking-wilson", "1");

export interface TemplateUsage {
  templateId: string;
  name: string;
  /** Messages sent from the template. */
  sent: number;
  /** Of those, how many drew a reply. */
  replied: number;
  /** People's ratings of content generated from it, 1 to 5 stars. */
  ratings?: readonly number[];
}

export interface TemplateRank {
  templateId: string;
  name: string;
  sent: number;
  replied: number;
  /** replied / sent, or null before the first send. */
  replyRate: number | null;
  /** The lower end of the reply rate's 95% Wilson interval: what the ranking sorts on. */
  replyRateLowerBound: number;
  averageRating: number | null;
  ratingCount: number;
}

/** z for a two-sided 95% interval. */
const z95 = 1.959963984540054;

/** Lower bound of the Wilson score interval for `successes` out of `trials` (0 with no trials). */
export function wilsonLowerBound(successes: number, trials: number, z = z95): number {
  if (trials <= 0) return 0;
  const p = successes / trials;
  const z2 = z * z;
  return (
    (p + z2 / (2 * trials) - z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials)
  );
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * The templates best first: by the lower bound of their reply rate, then by average rating, then
 * by sends. Replies above sends, negative counts and ratings outside 1-5 are refused.
 */
export function rankTemplates(usage: readonly TemplateUsage[]): Explained<TemplateRank[]> {
  for (const u of usage) {
    if (
      !Number.isInteger(u.sent) ||
      !Number.isInteger(u.replied) ||
      u.sent < 0 ||
      u.replied < 0 ||
      u.replied > u.sent
    ) {
      throw new RangeError(
        `Template ${u.templateId}: replied (${u.replied}) must be a whole number from 0 to sent (${u.sent})`,
      );
    }
    const bad = (u.ratings ?? []).find((r) => !Number.isInteger(r) || r < 1 || r > 5);
    if (bad !== undefined) throw new RangeError(`Template ${u.templateId}: a rating is 1 to 5 stars, not ${bad}`);
  }
  const ranked = usage
    .map((u) => {
      const ratings = u.ratings ?? [];
      return {
        templateId: u.templateId,
        name: u.name,
        sent: u.sent,
        replied: u.replied,
        replyRate: u.sent === 0 ? null : round4(u.replied / u.sent),
        replyRateLowerBound: round4(wilsonLowerBound(u.replied, u.sent)),
        averageRating:
          ratings.length === 0 ? null : Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 100) / 100,
        ratingCount: ratings.length,
      };
    })
    .sort(
      (a, b) =>
        b.replyRateLowerBound - a.replyRateLowerBound ||
        (b.averageRating ?? 0) - (a.averageRating ?? 0) ||
        b.sent - a.sent ||
        a.templateId.localeCompare(b.templateId),
    );
  const best = ranked[0];
  const percent = (n: number | null) => (n === null ? "no sends" : `${(n * 100).toFixed(1)}%`);
  return {
    result: ranked,
    explanation:
      best === undefined
        ? "No templates to rank."
        : `"${best.name}" ranks first: ${best.replied} replies from ${best.sent} sends (${percent(best.replyRate)}; at least ${percent(best.replyRateLowerBound)} with 95% confidence). Templates are ranked on that lower bound, so few sends cannot win on luck.`,
    factors: ranked.map((r) => ({
      name: r.name,
      impact: r.replyRateLowerBound,
      value: `${r.replied}/${r.sent} replied${r.averageRating === null ? "" : `, rated ${r.averageRating} (${r.ratingCount})`}`,
    })),
    engine: templateRankingEngine,
  };
}
