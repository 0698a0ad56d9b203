import type { CampaignStatus, GoalMetric } from "./types";

export const statusLabels: Record<CampaignStatus, string> = {
  draft: "Draft",
  running: "Running",
  paused: "Paused",
  completed: "Completed",
};

export const statusTones = {
  draft: "neutral",
  running: "success",
  paused: "warning",
  completed: "accent",
} as const satisfies Record<CampaignStatus, string>;

export const goalLabels: Record<GoalMetric, string> = {
  replies: "Replies",
  meetings: "Meetings booked",
  deals_won: "Deals won",
  revenue: "Revenue",
};

const percent = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 1 });
const number = new Intl.NumberFormat("en");
const money = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

export const formatRate = (rate: number) => percent.format(rate);
export const formatCount = (n: number) => number.format(n);
export const formatRevenue = (n: number) => money.format(n);

/** The audience filters in words: "lifecycle stage lead · tag webinar". Empty: every contact. */
export function audienceSummary(audience: Record<string, string | string[]>): string {
  const parts = Object.entries(audience).map(([name, value]) => {
    const label = name.startsWith("cf.") ? name.slice(3) : name.replace(/([A-Z])/g, " $1").toLowerCase();
    return `${label} ${Array.isArray(value) ? value.join(", ") : value}`;
  });
  return parts.length === 0 ? "Every contact" : parts.join(" · ");
}
