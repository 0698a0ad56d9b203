/** API shapes the pipeline board and the home page read (see /openapi.json). */
export type DealStatus = "active" | "won" | "lost" | "paused";

export interface PipelineStage {
  id: string;
  pipelineId: string;
  name: string;
  position: number;
  probability: number;
  isWon: boolean;
  isLost: boolean;
}

export interface Pipeline {
  id: string;
  name: string;
  position: number;
  stages: PipelineStage[];
}

export interface Deal {
  id: string;
  name: string;
  contactId: string | null;
  companyId: string | null;
  pipelineId: string;
  stageId: string;
  status: DealStatus;
  value: number;
  currency: string;
  expectedCloseDate: string | null;
  probability: number | null;
  lostReason: string | null;
  ownerId: string | null;
}

export interface BoardColumn {
  stage: PipelineStage;
  count: number;
  totalValue: number;
  weightedValue: number;
  deals: Deal[];
  hasMore: boolean;
}

export interface PipelineBoard {
  pipeline: { id: string; name: string };
  stages: BoardColumn[];
}

export interface Member {
  id: string;
  name: string;
  email: string;
  role: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface StageStats {
  pipelineId: string;
  stageId: string;
  name: string;
  isWon: boolean;
  isLost: boolean;
  count: number;
  value: number;
  weightedValue: number;
}

export interface PipelineStats {
  pipelineId: string | null;
  byStage: StageStats[];
  open: { count: number; value: number };
  weightedForecast: number;
  won: { count: number; value: number };
  lost: { count: number; value: number };
  winRate: number | null;
}

export interface Task {
  id: string;
  title: string;
  dueAt: string | null;
  priority: "low" | "normal" | "high" | "urgent";
  status: "open" | "in_progress" | "done" | "cancelled";
  recordType: RecordType | null;
  recordId: string | null;
}

/** One line of the home page's "Recent activity": `{actor} {action} {name} {detail}`. */
export interface RecentChange {
  id: string;
  actor: string | null;
  action: string;
  name: string;
  href: string | null;
  detail: string | null;
  at: string;
}

export type RecordType = "contact" | "company" | "lead" | "deal" | "task";

/** The dashboard page that shows a record of this type. */
export function recordHref(type: RecordType, id: string): string {
  const paths: Record<RecordType, string> = {
    contact: "contacts",
    company: "companies",
    lead: "leads",
    deal: "deals",
    task: "tasks",
  };
  return `/${paths[type]}/${id}`;
}
