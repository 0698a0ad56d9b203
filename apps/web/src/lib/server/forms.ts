import { fail } from "@sveltejs/kit";
import type { FormFailure } from "$lib/types";
import type { ApiFetch, ApiInit } from "./api";

interface Problem {
  status?: number;
  detail?: string;
  title?: string;
  errors?: { path?: string; message?: string }[];
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; problem: Problem | null };

/** Calls the API and reads its JSON answer or its problem+json; an unreachable API is a 503. */
export async function callApi<T>(api: ApiFetch, path: string, init: ApiInit = {}): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await api(path, init);
  } catch {
    return {
      ok: false,
      status: 503,
      problem: { detail: "The CRM service cannot be reached right now; try again in a moment." },
    };
  }
  if (response.ok) {
    const data = response.status === 204 ? null : await response.json();
    return { ok: true, data: data as T };
  }
  const type = response.headers.get("content-type") ?? "";
  const problem = type.includes("json") ? ((await response.json().catch(() => null)) as Problem | null) : null;
  return { ok: false, status: response.status, problem };
}

/**
 * Turns a refused request into the page's `form` data: each `errors[].path` that names one of
 * the form's fields (`body.email` or `email`) goes under that field; the rest join the message.
 */
export function formFailure<Values extends Record<string, string>>(
  result: { status: number; problem: Problem | null },
  fieldNames: readonly (keyof Values & string)[],
  values: Partial<Values>,
) {
  const fields: FormFailure<Values>["fields"] = {};
  const unplaced: string[] = [];
  for (const entry of result.problem?.errors ?? []) {
    const name = (entry.path ?? "").replace(/^body\./, "");
    const message = entry.message ?? "Invalid value";
    if ((fieldNames as readonly string[]).includes(name)) fields[name as keyof Values & string] ??= message;
    else unplaced.push(entry.path ? `${entry.path}: ${message}` : message);
  }
  const detail = result.problem?.detail ?? result.problem?.title ?? `The CRM service answered ${result.status}.`;
  const message = [detail, ...unplaced].join(" ");
  const status = result.status >= 400 && result.status < 600 ? result.status : 502;
  return fail(status, { message, fields, values } satisfies FormFailure<Values>);
}

/** A text field from a submitted form ("" when absent). */
export function textField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/** Only same-site paths: `?redirectTo=//evil.example` must not leave the dashboard. */
export function safeRedirectPath(target: string | null): string {
  if (!target || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return "/";
  return target;
}
