import { stringify } from "csv-stringify/sync";

/** CSV lines for these records, quoted as RFC 4180 wants (the library's stringifier). */
export function csvLines(records: unknown[][]): string {
  return stringify(records, { cast: { boolean: (value) => (value ? "true" : "false") } });
}

/**
 * A streamed CSV body: the header, then each page `nextPage` gives until it gives null.
 * Pages are fetched as the client reads, so an export never holds more than one page.
 */
export function csvStream(header: string[], nextPage: () => Promise<unknown[][] | null>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvLines([header])));
        return;
      }
      const records = await nextPage();
      if (records === null) {
        controller.close();
        return;
      }
      if (records.length > 0) controller.enqueue(encoder.encode(csvLines(records)));
    },
  });
}

/** A CSV download: the type, and a file name the browser saves it under. */
export function csvResponse(body: ReadableStream<Uint8Array> | string, fileName: string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName.replace(/[^\w.-]/g, "_")}"`,
    },
  });
}
