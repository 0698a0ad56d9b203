/** API shapes the settings pages use (see /openapi.json: Member, Invitation, ApiKey, ...). */
import type { Role } from "$lib/types";

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface Member {
  id: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: string;
}

export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  status: InvitationStatus;
  invitedBy: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  rateLimit: number;
  ipAllowlist: string[];
  expiresAt: string | null;
  lastUsedAt: string | null;
  requestCount: number;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

/** The create answer: the only time the secret is sent. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}

export const objectTypes = ["contact", "company", "lead", "deal", "task"] as const;
export type ObjectType = (typeof objectTypes)[number];

export const objectLabels: Record<ObjectType, string> = {
  contact: "Contacts",
  company: "Companies",
  lead: "Leads",
  deal: "Deals",
  task: "Tasks",
};

export const fieldTypes = ["text", "number", "date", "boolean", "select", "multi_select", "url", "email"] as const;
export type FieldType = (typeof fieldTypes)[number];

export const fieldTypeLabels: Record<FieldType, string> = {
  text: "Text",
  number: "Number",
  date: "Date",
  boolean: "Yes / no",
  select: "Select",
  multi_select: "Multi-select",
  url: "URL",
  email: "Email",
};

export const hasOptions = (type: FieldType) => type === "select" || type === "multi_select";

export interface CustomField {
  id: string;
  objectType: ObjectType;
  key: string;
  label: string;
  type: FieldType;
  options: string[] | null;
  required: boolean;
  position: number;
  createdAt: string;
  updatedAt: string;
}

export interface PipelineStage {
  id: string;
  pipelineId: string;
  name: string;
  position: number;
  probability: number;
  isWon: boolean;
  isLost: boolean;
  followUpDays: number | null;
  autoActions: string[];
  createdAt: string;
  updatedAt: string;
}

export interface Pipeline {
  id: string;
  name: string;
  position: number;
  stages: PipelineStage[];
  createdAt: string;
  updatedAt: string;
}

export type Visibility = "all" | "own";

export interface RecordVisibility {
  member: Visibility;
  viewer: Visibility;
}

export interface AuditEntry {
  id: string;
  actorType: "user" | "api_key" | "system";
  actorId: string;
  via: "ui" | "api" | "system";
  action: "create" | "update" | "delete";
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
  createdAt: string;
}

/** The record kinds the API writes to the audit log (its `entity` filter). */
export const auditEntities = [
  "activity",
  "api_key",
  "company",
  "contact",
  "custom_field",
  "deal",
  "invitation",
  "lead",
  "membership",
  "note",
  "pipeline",
  "pipeline_stage",
  "saved_view",
  "task",
  "tenant",
  "tenant_settings",
] as const;

export const roles: readonly Role[] = ["owner", "admin", "member", "viewer"];

/** API key scopes as the API accepts them: `<resource>:read` and `<resource>:write`. */
export { scopeResources } from "@crm/records";
