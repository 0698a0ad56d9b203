import { BulkWriteDb, createDb, type Database, imports } from "@crm/db";
import {
  customFieldDefinitionsFor,
  failImport,
  importActor,
  type ImportRow,
  pipelinesWithStages,
  readChunkSetup,
  rememberCustomFieldDefinitions,
  type TenantContext,
  writeImportChunk,
} from "@crm/services";
import { eq } from "drizzle-orm";
import type { Bindings } from "../env";
import { enqueue, type JobMessage } from "../jobs/messages";
import { readChunk } from "./csv";
import { importFinished } from "./events";
import { importObjects } from "./objects";
import { prepareRow } from "./rows";

/**
 * Records per chunk. One chunk is a few ranged reads of the file and one D1 batch (the
 * rows' records, tags, search entries and audit entries merged into set-based
 * statements, plus the chunk's marker and counters), so a 1,048,576-row file is 1,049
 * chunks, never one big write, and memory holds one chunk. A chunk's fixed costs (lookups,
 * a read, a batch) weigh half what they did at 500 rows; its batch still holds D1's write
 * lock briefly (~0.1 s here).
 */
export const importChunkRows = 1000;

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
 * Chunks one message may write before handing on: a queue delivers a lone message only
 * after its batch timeout (up to a second), so a 1,049-chunk file must not wait for 1,049
 * deliveries; the time budget keeps one invocation well inside the consumer's limits.
 */
export const chunksPerMessage = 100;
const messageBudgetMs = 20_000;

/**
 * Runs chunks of an import from the message's chunk on: each is read from the bucket by
 * byte range, turned into validated create bodies and written in one batch; then the
 * next chunk is queued from where the last one ended. A redelivered chunk finds its
 * marker and writes nothing, and only makes sure the chain goes on (a crash may have come
 * between a chunk's batch and queueing its successor).
 */
export async function runImportChunk(message: ChunkMessage, env: Bindings): Promise<void> {
  const began = Date.now();
  // One drizzle instance for the message's chunks: building it reads the whole schema.
  const database = createDb(env.DB);
  let next: ChunkMessage | null = message;
  for (let n = 0; next && n < chunksPerMessage && Date.now() - began < messageBudgetMs; n++) {
    next = await runOneChunk(next, env, database);
    // A timer turn between chunks lets requests waiting on this isolate in: without it a
    // local workerd answered nothing else (not even a progress poll) for the whole 20 s.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  if (next) await enqueue(env.JOBS, next);
}

/** Writes one chunk; returns the message for the chunk after it, or null when the import has ended. */
async function runOneChunk(message: ChunkMessage, env: Bindings, database: Database): Promise<ChunkMessage | null> {
  // Creates are merged into set-based statements; the rows written are the services' own.
  const db = new BulkWriteDb(database, message.tenantId);
  const { job, written, definitions } = await readChunkSetup(db, message.importId, message.chunkIndex);
  if (!job || (job.status !== "queued" && job.status !== "running")) return null;
  const actor = importActor(job);
  if (!actor) return null;
  const ctx: TenantContext = {
    tenant: { id: message.tenantId },
    actor,
    db,
    requestId: `${job.id}/${message.chunkIndex}`,
    memo: new Map(),
    // Audited per record; announced once, by import.completed (see TenantContext).
    announceRecordChanges: false,
  };
  rememberCustomFieldDefinitions(ctx, job.objectType, definitions);

  if (written) return written.endByte < job.fileBytes ? nextChunk(message, written.endByte, written.rows) : null;

  let records;
  try {
    records = await readChunk(env.IMPORTS, job.fileKey, job, message.startByte, job.fileBytes, importChunkRows);
  } catch (error) {
    // A file that cannot be parsed will not parse on a retry either.
    if ((error as { code?: string }).code?.startsWith("CSV_")) {
      await failImport(
        ctx,
        job.id,
        `The file cannot be read after row ${message.firstRow - 1}: ${(error as Error).message}`,
      );
      const ended = await db.findFirst(imports, eq(imports.id, job.id));
      if (ended) await importEnded(env, ctx, ended);
      return null;
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
  if (result.finished) {
    if (result.import) await importEnded(env, ctx, result.import);
    return null;
  }
  return result.import?.status === "running" ? nextChunk(message, records.endByte, rows.length) : null;
}

/** An import that ended: announce it, and drop the uploaded file (the error report lives in D1). */
async function importEnded(env: Bindings, ctx: TenantContext, row: ImportRow): Promise<void> {
  await importFinished(env, ctx, row);
  await env.IMPORTS.delete(row.fileKey);
}

function nextChunk(message: ChunkMessage, startByte: number, rows: number): ChunkMessage {
  return { ...message, chunkIndex: message.chunkIndex + 1, startByte, firstRow: message.firstRow + rows };
}
