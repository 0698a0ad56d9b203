/** API shapes the record detail pages read (see /openapi.json). */
import type { ApiRecord } from "$lib/records/objects";

export interface Member {
  id: string;
  name: string;
  email: string;
  role: "owner" | "admin" | "member" | "viewer";
}

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

export type TimelineItemType =
  | "note"
  | "activity"
  | "task_created"
  | "task_completed"
  | "stage_change"
  | "record_created"
  | "record_updated"
  | "email_sent"
  | "email_reply"
  | "email_bounced";

export interface TimelineItem {
  id: string;
  type: TimelineItemType;
  occurredAt: string;
  actorId: string | null;
  summary: string;
  data: Record<string, unknown>;
}

export interface Task extends ApiRecord {
  title: string;
  description: string | null;
  dueAt: string | null;
  priority: "low" | "normal" | "high" | "urgent";
  status: "open" | "in_progress" | "done" | "cancelled";
  assigneeId: string | null;
  recordType: string | null;
  recordId: string | null;
  completedAt: string | null;
}

export interface DealStageChange {
  id: string;
  stageId: string;
  stageName: string | null;
  enteredAt: string;
  leftAt: string | null;
  durationSeconds: number | null;
  changedBy: string;
}

export interface LeadStageChange {
  id: string;
  fromStage: string | null;
  toStage: string;
  reason: string | null;
  changedBy: string;
  changedAt: string;
}

export interface LeadConversion {
  lead: ApiRecord;
  contact: ApiRecord | null;
  company: ApiRecord | null;
  deal: ApiRecord | null;
  created: { contact: boolean; company: boolean; deal: boolean };
}

/** A record another record links to, enough to show and link it. */
export interface RecordLink {
  object: "contacts" | "companies" | "leads" | "deals" | "tasks";
  id: string;
  title: string;
}
