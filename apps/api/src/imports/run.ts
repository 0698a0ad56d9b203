import { createDb, importChunks, imports, tenantDb } from "@crm/db";
import {
  customFieldDefinitionsFor,
  failImport,
  importActor,
  type ImportRow,
  pipelinesWithStages,
  type TenantContext,
  writeImportChunk,
} from "@crm/services";
import { and, eq } from "drizzle-orm";
import type { Bindings } from "../env";
import { enqueue, type JobMessage } from "../jobs/messages";
import { readChunk } from "./csv";
import { importFinished } from "./events";
import { importObjects } from "./objects";
import { prepareRow } from "./rows";

/**
 * Records per queue message. One chunk is one D1 batch (each row's insert, tags, search
 * entry and audit entry plus the chunk's marker and counters) and one ranged read of the
 * file, so a 1,048,576-row file is 2,098 small messages, never one big one.
 */
export const importChunkRows = 500;

type ChunkMessage = Extract<JobMessage, { type: "import.chunk" }>;

/** The first chunk's message for a started import. */
export function firstChunk(row: ImportRow): ChunkMessage {
  return {
    type: "import.chunk",
    tenantId: row.tenantId,
    importId: row.id,
    chunkIndex: 0,
    startByte: row.dataStart,
    firstRow: row.hasHeader ? 2 : 1,
  };
}

/**
 * Runs one chunk: reads its records from the bucket by byte range, turns them into
 * validated create bodies, writes them in one batch, then queues the next chunk from
 * where this one ended. A redelivered chunk finds its marker and writes nothing; it only
 * makes sure the next chunk is queued (a crash may have come between the two).
 */
export async function runImportChunk(message: ChunkMessage, env: Bindings): Promise<void> {
  const db = tenantDb(createDb(env.DB), message.tenantId);
  const job = await db.findFirst(imports, eq(imports.id, message.importId));
  if (!job || (job.status !== "queued" && job.status !== "running")) return;
  const actor = importActor(job);
  if (!actor) return;
  const ctx: TenantContext = {
    tenant: { id: message.tenantId },
    actor,
    db,
    requestId: `${job.id}/${message.chunkIndex}`,
    memo: new Map(),
  };

  const done = await db.findFirst(
    importChunks,
    and(eq(importChunks.importId, job.id), eq(importChunks.chunkIndex, message.chunkIndex)),
  );
  if (done) {
    if (done.endByte < job.fileBytes) await enqueueNext(env, message, done.endByte, done.rows);
    return;
  }

  let records;
  try {
    records = await readChunk(env.IMPORTS, job.fileKey, job, message.startByte, job.fileBytes, importChunkRows);
  } catch (error) {
    // A file that cannot be parsed will not parse on a retry either.
    if ((error as { code?: string }).code?.startsWith("CSV_")) {
      await failImport(ctx, job.id, `The file cannot be read after row ${message.firstRow - 1}: ${(error as Error).message}`);
      const ended = await db.findFirst(imports, eq(imports.id, job.id));
      if (ended) await importFinished(env, ended);
      return;
    }
    throw error;
  }
  const object = importObjects[job.objectType];
  const shape = {
    object,
    columns: job.columns,
    mapping: job.mapping ?? {},
    definitions: await customFieldDefinitionsFor(ctx, job.objectType),
    pipelines: job.objectType === "deal" ? await pipelinesWithStages(ctx) : [],
  };
  const rows = records.records.map((cells, i) => prepareRow(shape, cells, message.firstRow + i));
  const result = await writeImportChunk(ctx, job, {
    chunkIndex: message.chunkIndex,
    endByte: records.endByte,
    rows,
    last: records.done,
  });
  if (!result.written) return;
  if (result.finished) {
    if (result.import) await importFinished(env, result.import);
    return;
  }
  if (result.import?.status === "running") await enqueueNext(env, message, records.endByte, rows.length);
}

async function enqueueNext(env: Bindings, message: ChunkMessage, startByte: number, rows: number): Promise<void> {
  await enqueue(env.JOBS, {
    ...message,
    chunkIndex: message.chunkIndex + 1,
    startByte,
    firstRow: message.firstRow + rows,
  });
}
