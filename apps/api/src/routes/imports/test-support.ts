import { SELF } from "cloudflare:test";
import { parse } from "csv-parse/sync";
import { expect } from "vitest";
import { api, json } from "../../../test/harness";

/** POSTs a file as a client would: the bytes as the body, with their length. */
export async function upload(
  token: string,
  objectType: string,
  file: string | Uint8Array,
  options: { contentType?: string; fileName?: string } = {},
): Promise<Response> {
  const bytes = typeof file === "string" ? new TextEncoder().encode(file) : file;
  const query = new URLSearchParams({ objectType, ...(options.fileName ? { fileName: options.fileName } : {}) });
  return SELF.fetch(`https://crm.test/api/v1/imports?${query}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": options.contentType ?? "text/csv",
      "content-length": String(bytes.byteLength),
    },
    body: bytes,
  });
}

/** Uploads and expects the 201 with the analysis. */
export async function uploaded(token: string, objectType: string, file: string | Uint8Array) {
  const response = await upload(token, objectType, file);
  expect(response.status, await response.clone().text()).toBe(201);
  return json(response);
}

export async function start(token: string, id: string, body: Record<string, unknown>) {
  const response = await api("POST", `/api/v1/imports/${id}/start`, { token, body });
  expect(response.status, await response.clone().text()).toBe(202);
  return json(response);
}

const ended = new Set(["completed", "failed", "cancelled"]);

/** Polls the import (as the dashboard's progress bar does) until it has ended. */
export async function finished(token: string, id: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await api("GET", `/api/v1/imports/${id}`, { token });
    expect(response.status).toBe(200);
    const job = await json(response);
    if (ended.has(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`import ${id} still ${job.status}: ${JSON.stringify(job.progress)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The error report, parsed. */
export async function errorReport(token: string, id: string): Promise<string[][]> {
  const response = await api("GET", `/api/v1/imports/${id}/errors`, { token });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  return parse(await response.text()) as string[][];
}

export function parseCsv(text: string): string[][] {
  return parse(text) as string[][];
}
