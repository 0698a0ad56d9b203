// API shapes for ratings of generated content and usage, reply rate and rating per template
// (POST /api/v1/ai/outputs/{id}/rating, GET /api/v1/ai/content/templates).
import type { Engine, Factor } from "./scores";

export interface OutputRating {
  stars: number;
  comment: string | null;
  ratedBy: string | null;
  ratedAt: string | null;
}

/** One sequence step variant with its figures, as the ranking orders them (best first). */
export interface TemplateStat {
  rank: number;
  templateId: string;
  variantKey: string;
  name: string;
  sequenceId: string;
  channel: string;
  subject: string | null;
  generated: number;
  sent: number;
  replied: number;
  replyRate: number | null;
  replyRateLowerBound: number;
  averageRating: number | null;
  ratingCount: number;
  why: string;
}

export interface TemplateStats {
  data: TemplateStat[];
  explanation: string;
  factors: Factor[];
  engine: Engine;
}

export const starChoices = [1, 2, 3, 4, 5] as const;

export const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/** "3 of 12 replied (25.0%)", or "not sent yet". */
export function replyText(stat: Pick<TemplateStat, "sent" | "replied" | "replyRate">): string {
  return stat.replyRate === null
    ? "not sent yet"
    : `${stat.replied} of ${stat.sent} replied (${percent(stat.replyRate)})`;
}
