import { Readable } from "node:stream";
import type { ImportEncoding } from "@crm/db";
import { latin1ToWindows1252, normalizeHeader } from "@crm/records";
import { parse } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";

/** What the upload works out about a file from its first bytes. */
export interface CsvLayout {
  encoding: ImportEncoding;
  delimiter: string;
  hasHeader: boolean;
  columns: string[];
  /** Byte offset of the first data row: after a BOM and the header. */
  dataStart: number;
}

/** How much of the file detection and the preview read. */
export const sampleBytes = 64 * 1024;
export const delimiters = [",", ";", "\t", "|"] as const;
const utf8Bom = [0xef, 0xbb, 0xbf];

const bufferEncoding = (encoding: ImportEncoding) => (encoding === "windows-1252" ? "latin1" : "utf8");

/** Cells as text: Windows-1252 files are parsed as Latin-1 and fixed up here. */
export function decodeCells(cells: string[], encoding: ImportEncoding): string[] {
  return encoding === "windows-1252" ? cells.map(latin1ToWindows1252) : cells;
}

/**
 * UTF-8 (with or without a BOM) when the bytes are valid UTF-8, Windows-1252 otherwise.
 * A multi-byte character cut by the end of the sample is not counted against UTF-8.
 */
export function detectEncoding(sample: Uint8Array): ImportEncoding {
  if (utf8Bom.every((byte, i) => sample[i] === byte)) return "utf-8-bom";
  try {
    new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(sample, { stream: true });
    return "utf-8";
  } catch {
    return "windows-1252";
  }
}

type Row = { record: string[]; info: { bytes: number } };

function parseSample(sample: Buffer, delimiter: string, encoding: ImportEncoding, limit: number): Row[] {
  return parseSync(sample, {
    delimiter,
    encoding: bufferEncoding(encoding),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    // The sample may end inside a record: that last, cut record is dropped, not an error.
    skip_records_with_error: true,
    info: true,
    to: limit,
  }) as unknown as Row[];
}

/**
 * The delimiter that splits the first rows into the same number of columns (more than
 * one), preferring the one that gives the most; a file with a single column is comma-separated.
 */
export function detectDelimiter(sample: Buffer, encoding: ImportEncoding): string {
  let best = { delimiter: ",", score: 0 };
  for (const delimiter of delimiters) {
    let rows: Row[];
    try {
      rows = parseSample(sample, delimiter, encoding, 20);
    } catch {
      continue;
    }
    const widths = rows.map((r) => r.record.length);
    const first = widths[0] ?? 0;
    if (first < 2) continue;
    const consistent = widths.filter((w) => w === first).length / widths.length;
    const score = first * consistent * consistent;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

const looksLikeData = (cell: string) =>
  /^\s*$/.test(cell) || /^[-+$€£]?\s*[\d.,\s]+%?$/.test(cell) || /@/.test(cell) || /^\d{4}-\d{2}-\d{2}/.test(cell);

/**
 * A first row is a header when it names a known field, or when every cell is a distinct,
 * non-blank label that does not look like data (numbers, emails, dates).
 */
export function detectHeader(first: string[], knownHeaders: Set<string>): boolean {
  if (first.some((cell) => knownHeaders.has(normalizeHeader(cell)))) return true;
  const distinct = new Set(first.map((c) => c.trim().toLowerCase()));
  return distinct.size === first.length && first.every((cell) => !looksLikeData(cell));
}

/** Detects the layout from the first bytes of the file and returns it with the first data rows. */
export function detectLayout(
  sampleBytesRead: Uint8Array,
  knownHeaders: Set<string>,
  previewRows: number,
): { layout: CsvLayout; preview: string[][] } {
  const encoding = detectEncoding(sampleBytesRead);
  const bom = encoding === "utf-8-bom" ? utf8Bom.length : 0;
  const sample = Buffer.from(
    sampleBytesRead.buffer,
    sampleBytesRead.byteOffset + bom,
    sampleBytesRead.byteLength - bom,
  );
  const delimiter = detectDelimiter(sample, encoding);
  const rows = parseSample(sample, delimiter, encoding, previewRows + 1).map((r) => ({
    cells: decodeCells(r.record, encoding),
    end: r.info.bytes,
  }));
  const first = rows[0]?.cells ?? [];
  const hasHeader = rows.length > 0 && detectHeader(first, knownHeaders);
  const width = Math.max(0, ...rows.map((r) => r.cells.length));
  const columns = hasHeader
    ? uniqueNames(first.map((cell, i) => cell.trim() || `Column ${i + 1}`))
    : Array.from({ length: width }, (_, i) => `Column ${i + 1}`);
  const dataStart = bom + (hasHeader ? (rows[0]?.end ?? 0) : 0);
  const data = (hasHeader ? rows.slice(1) : rows).slice(0, previewRows).map((r) => r.cells);
  return { layout: { encoding, delimiter, hasHeader, columns, dataStart }, preview: data };
}

/** "Email", "Email" → "Email", "Email (2)": mappings are keyed by column name. */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}

export interface ChunkRecords {
  /** Cells per record, decoded. */
  records: string[][];
  /** Byte offset in the file just after the last record read. */
  endByte: number;
  /** No records after these. */
  done: boolean;
}

/** Bytes one ranged read of an uploaded file fetches: a 1,000-row chunk of most files in one read. */
export const rangeBytes = 256 * 1024;
/** What the parser is given at a time: a chunk parses at most this much beyond its last record. */
const parseSliceBytes = 16 * 1024;

/**
 * The file from `startByte` on, as successive ranged reads of `rangeBytes`, each fetched
 * only when the parser wants more: a chunk never opens the rest of a 1,048,576-row file.
 */
async function* fileRanges(bucket: R2Bucket, key: string, startByte: number, fileBytes: number, bytes: number) {
  for (let offset = startByte; offset < fileBytes; offset += bytes) {
    const object = await bucket.get(key, { range: { offset, length: Math.min(bytes, fileBytes - offset) } });
    if (!object) throw new Error(`The uploaded file ${key} is missing from the bucket`);
    const range = Buffer.from(await object.arrayBuffer());
    // Handed to the parser in slices: it parses all of a piece at once, so a whole range
    // (~4,000 records of a typical file) would be parsed for a 1,000-record chunk.
    for (let at = 0; at < range.byteLength; at += parseSliceBytes) yield range.subarray(at, at + parseSliceBytes);
  }
}

/**
 * Reads up to `limit` records of the file in the bucket from byte `startByte` (a record
 * boundary), streaming: only the ranges up to the last record read are fetched and parsed,
 * whatever the file's size.
 */
export async function readChunk(
  bucket: R2Bucket,
  key: string,
  layout: Pick<CsvLayout, "encoding" | "delimiter">,
  startByte: number,
  fileBytes: number,
  limit: number,
  bytesPerRead = rangeBytes,
): Promise<ChunkRecords> {
  if (startByte >= fileBytes) return { records: [], endByte: startByte, done: true };
  const source = Readable.from(fileRanges(bucket, key, startByte, fileBytes, bytesPerRead), { objectMode: false });
  const parser = source.pipe(
    parse({
      delimiter: layout.delimiter,
      encoding: bufferEncoding(layout.encoding),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
    }),
  );
  const records: string[][] = [];
  let end = 0;
  try {
    for await (const row of parser as AsyncIterable<Row>) {
      records.push(decodeCells(row.record, layout.encoding));
      end = row.info.bytes;
      if (records.length >= limit) break;
    }
  } finally {
    parser.destroy();
    source.destroy();
  }
  const endByte = startByte + end;
  return { records, endByte, done: records.length < limit || endByte >= fileBytes };
}
