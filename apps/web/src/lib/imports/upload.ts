import type { Problem } from "$lib/client/bff";
import type { ImportPreview } from "./types";

export type UploadResult = { ok: true; data: ImportPreview } | { ok: false; problem: Problem };

/**
 * Sends a CSV file to the dashboard's streaming upload route. XMLHttpRequest rather than fetch:
 * only it reports upload progress (`onProgress` gets the share sent, 0–1).
 */
export function uploadCsv(
  file: File,
  objectType: string,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<UploadResult> {
  const query = new URLSearchParams({ objectType, fileName: file.name.slice(0, 200) || "import.csv" });
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", `/bff/imports/upload?${query}`);
    request.setRequestHeader("content-type", "text/csv");
    request.setRequestHeader("accept", "application/json");
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        // Not JSON: an error page from a proxy, handled below.
      }
      if (request.status === 201 && body) {
        resolve({ ok: true, data: body as ImportPreview });
        return;
      }
      const problem = (body as Problem | null) ?? {};
      problem.status ??= request.status;
      problem.detail ??=
        (body as { message?: string } | null)?.message ??
        problem.title ??
        `The upload was refused (${request.status}).`;
      resolve({ ok: false, problem });
    };
    request.onerror = () =>
      resolve({ ok: false, problem: { detail: "The upload failed: the CRM service could not be reached." } });
    request.onabort = () => resolve({ ok: false, problem: { detail: "Upload cancelled." } });
    signal?.addEventListener("abort", () => request.abort());
    request.send(file);
  });
}
