/** API shapes of CSV imports (see /openapi.json: Import, ImportPreview). */
import type { ObjectKey, ObjectType } from "$lib/records/objects";

export type ImportStatus = "uploaded" | "queued" | "running" | "completed" | "failed" | "cancelled";
export type MatchKey = "email" | "domain" | "none";
export type ImportPolicy = "skip_bad_rows" | "stop_at_first_error";

export interface ImportProgress {
  rowsDone: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  bytesDone: number;
  /** Share of the file read, 0–1. */
  fraction: number;
}

export interface Import {
  id: string;
  objectType: ObjectType;
  status: ImportStatus;
  fileName: string | null;
  fileBytes: number;
  encoding: "utf-8" | "utf-8-bom" | "windows-1252";
  delimiter: string;
  hasHeader: boolean;
  columns: string[];
  mapping: Record<string, string> | null;
  matchKey: MatchKey | null;
  policy: ImportPolicy | null;
  progress: ImportProgress;
  failureReason: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ImportPreviewRow {
  /** As a spreadsheet numbers it: the header is row 1. */
  rowNumber: number;
  cells: Record<string, string>;
  outcome: "create" | "update" | "skip" | null;
  errors: { column: string | null; value: string | null; message: string }[];
}

export interface ImportPreview {
  import: Import;
  fields: { target: string; label: string }[];
  mapping: Record<string, string | null>;
  matchKey: MatchKey;
  preview: ImportPreviewRow[];
}

export const endedStatuses: readonly ImportStatus[] = ["completed", "failed", "cancelled"];

export const statusLabels: Record<
  ImportStatus,
  { label: string; tone: "neutral" | "accent" | "success" | "danger" | "warning" }
> = {
  uploaded: { label: "Not started", tone: "neutral" },
  queued: { label: "Queued", tone: "accent" },
  running: { label: "Running", tone: "accent" },
  completed: { label: "Completed", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
  cancelled: { label: "Cancelled", tone: "warning" },
};

/** The create-or-update key each object offers besides `none`. */
export const matchKeys: Partial<Record<ObjectType, Exclude<MatchKey, "none">>> = {
  contact: "email",
  company: "domain",
};

/**
 * The objects an import can fill, by their list path. Names only: the import pages stay clear of
 * $lib/records/objects' field definitions (first-load JavaScript).
 */
export const importObjects: { key: ObjectKey; type: ObjectType; singular: string; plural: string }[] = [
  { key: "contacts", type: "contact", singular: "contact", plural: "contacts" },
  { key: "companies", type: "company", singular: "company", plural: "companies" },
  { key: "leads", type: "lead", singular: "lead", plural: "leads" },
  { key: "deals", type: "deal", singular: "deal", plural: "deals" },
  { key: "tasks", type: "task", singular: "task", plural: "tasks" },
];

export const importObjectOf = (type: ObjectType) => importObjects.find((object) => object.type === type)!;
