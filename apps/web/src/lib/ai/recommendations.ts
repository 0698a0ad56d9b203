// The recommendations inbox: the API's shapes and how the page words them.

export type RecommendationStatus = "pending" | "viewed" | "accepted" | "dismissed" | "completed";
export type RecommendationFilter = RecommendationStatus | "expired" | "all";
export type RecommendationRecordType = "contact" | "lead" | "deal";

export interface RecommendationFactor {
  name: string;
  impact: number;
  value?: string | number | boolean | null;
}

export interface Recommendation {
  id: string;
  recordType: RecommendationRecordType;
  recordId: string;
  type: string;
  title: string;
  priority: number;
  confidence: number;
  status: RecommendationStatus;
  expired: boolean;
  explanation: string;
  factors: RecommendationFactor[];
  engine: { engine: string; model: string; version: string };
  dueAt: string;
  expiresAt: string;
  statusChangedBy: string | null;
  statusChangedAt: string | null;
  createdAt: string;
}

export interface RecommendationPage {
  data: Recommendation[];
  nextCursor: string | null;
}

export interface RefreshCounts {
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  alreadyHandled: number;
  pending: number;
  complete: boolean;
}

export const recommendationFilters: { value: RecommendationFilter; label: string }[] = [
  { value: "pending", label: "Pending" },
  { value: "viewed", label: "Viewed" },
  { value: "accepted", label: "Accepted" },
  { value: "completed", label: "Completed" },
  { value: "dismissed", label: "Dismissed" },
  { value: "expired", label: "Expired" },
  { value: "all", label: "All" },
];

export function isRecommendationFilter(value: string): value is RecommendationFilter {
  return recommendationFilters.some((f) => f.value === value);
}

export const statusLabels: Record<RecommendationStatus, string> = {
  pending: "Pending",
  viewed: "Viewed",
  accepted: "Accepted",
  dismissed: "Dismissed",
  completed: "Completed",
};

const recordPaths: Record<RecommendationRecordType, string> = { contact: "contacts", lead: "leads", deal: "deals" };
export const recordTypeLabels: Record<RecommendationRecordType, string> = {
  contact: "Contact",
  lead: "Lead",
  deal: "Deal",
};

export function recordHref(rec: Pick<Recommendation, "recordType" | "recordId">): string {
  return `/${recordPaths[rec.recordType]}/${rec.recordId}`;
}

/** `follow_up_stalled_deal` → "Follow up stalled deal". */
export function actionLabel(type: string): string {
  const words = type.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Pending first (the inbox), then by priority as the API sorted them. */
export function pendingFirst(rows: Recommendation[]): Recommendation[] {
  const open = (r: Recommendation) => (r.status === "pending" && !r.expired ? 0 : 1);
  return [...rows].sort((a, b) => open(a) - open(b));
}

/** "+25" / "−5": a factor's share of the priority. */
export function impactText(impact: number): string {
  return impact >= 0 ? `+${impact}` : `−${Math.abs(impact)}`;
}

export function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}
