/**
 * API shapes of /workflows, their executions and /notifications (the workflow contract). The
 * definition's own types come from @crm/workflows, imported as types only: the zod schemas
 * beside them stay out of the browser's bundle.
 */
import type {
  ExecutionStatus,
  StepStatus,
  WorkflowAction,
  WorkflowConditionGroup,
  WorkflowObject,
  WorkflowTrigger,
} from "@crm/workflows";

export type {
  ConditionOperator,
  ExecutionStatus,
  FieldKind,
  StepStatus,
  WorkflowAction,
  WorkflowActionType,
  WorkflowCondition,
  WorkflowConditionGroup,
  WorkflowDefinition,
  WorkflowObject,
  WorkflowTrigger,
  WorkflowTriggerType,
  WorkflowValue,
} from "@crm/workflows";

export interface Workflow {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  /** The current (latest) version, from 1. */
  version: number;
  object: WorkflowObject;
  trigger: WorkflowTrigger;
  conditions: WorkflowConditionGroup;
  actions: WorkflowAction[];
  /** Signs call_webhook requests (Standard Webhooks). */
  signingSecret: string;
  runCount: number;
  failedCount: number;
  lastRunAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WorkflowVersion {
  version: number;
  object: WorkflowObject;
  trigger: WorkflowTrigger;
  conditions: WorkflowConditionGroup;
  actions: WorkflowAction[];
  createdAt: string;
  createdBy: string | null;
}

export interface ExecutionStep {
  index: number;
  actionType: string;
  status: StepStatus;
  startedAt: string;
  finishedAt: string | null;
  output: Record<string, unknown> | null;
  error: string | null;
}

export interface Execution {
  id: string;
  workflowId: string;
  version: number;
  status: ExecutionStatus;
  cause: { kind: "event" | "manual" | "schedule" | "date"; eventId: string | null; eventType: string | null };
  recordType: string;
  recordId: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** When a waiting run continues. */
  resumeAt: string | null;
  error: string | null;
  steps?: ExecutionStep[];
}

export interface AppNotification {
  id: string;
  message: string;
  recordType: string | null;
  recordId: string | null;
  workflowId: string | null;
  readAt: string | null;
  createdAt: string;
}

export interface NotificationPage {
  data: AppNotification[];
  nextCursor: string | null;
  unreadCount: number;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
