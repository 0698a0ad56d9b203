import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { readChunk } from "./csv";

describe("readChunk", () => {
  it("reads a file chunk by chunk through small ranged reads, records cut by a range read whole", async () => {
    // Quoted newlines, commas, doubled quotes and multi-byte characters (é, €, 🙂): with
    // 1,000-byte reads, range boundaries fall inside records, quoted fields and characters.
    const expected = Array.from({ length: 1500 }, (_, i) => [
      `row${i}@example.com`,
      i % 3 === 0 ? `Line one ${i}\nline two, with a comma` : `Plain ${i}`,
      i % 5 === 0 ? `She said "hé" ${"€".repeat(i % 7)}` : `🙂${i}`,
    ]);
    const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
    const bytes = new TextEncoder().encode(expected.map((r) => r.map(quote).join(",")).join("\r\n") + "\r\n");
    const key = "tests/ranged-read.csv";
    await env.IMPORTS.put(key, bytes);

    const read: string[][] = [];
    const chunkEnds: number[] = [];
    let start = 0;
    for (;;) {
      const chunk = await readChunk(
        env.IMPORTS,
        key,
        { encoding: "utf-8", delimiter: "," },
        start,
        bytes.length,
        400,
        1000,
      );
      read.push(...chunk.records);
      chunkEnds.push(chunk.endByte);
      start = chunk.endByte;
      if (chunk.done) break;
    }
    expect(read).toEqual(expected);
    expect(chunkEnds).toHaveLength(4);
    expect(chunkEnds.at(-1)).toBe(bytes.length);
  });
});
