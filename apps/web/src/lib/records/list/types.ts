/** API shapes the list pages read besides records (see /openapi.json: Member, Pipeline, SavedView). */
import type { ObjectType } from "../objects";

export interface Member {
  /** The person's user id (what ownerId and assigneeId hold). */
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
  isWon: boolean;
  isLost: boolean;
}

export interface Pipeline {
  id: string;
  name: string;
  position: number;
  stages: PipelineStage[];
}

export interface SavedView {
  id: string;
  objectType: ObjectType;
  name: string;
  /** The list's query parameters (filters, sort, q, cf.<key>). */
  query: Record<string, string>;
  /** Column keys in order; null for the object's default columns. */
  columns: string[] | null;
  createdAt: string;
  updatedAt: string;
}

/** Names shown for ids a record points at: member ids, record ids (companies, contacts), stages. */
export interface Lookups {
  members: Member[];
  pipelines: Pipeline[];
  /** Record id → its title, filled in as linked records are resolved. */
  linked: ReadonlyMap<string, string>;
}

/** What a bulk action changed, so the page can update its rows without reloading them. */
export type BulkChange =
  | { action: "assign"; ids: string[]; field: string; memberId: string | null }
  | { action: "tag"; ids: string[]; tag: string }
  | { action: "delete"; ids: string[] };
