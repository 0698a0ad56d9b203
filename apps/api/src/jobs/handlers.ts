import { createDb, deadLetterJobs, idempotencyKeys, newId, passwordResets, refreshTokens } from "@crm/db";
import { DevOutboxTransport } from "@crm/services";
import { lt, or, isNotNull } from "drizzle-orm";
import type { Bindings } from "../env";
import { runImportChunk } from "../imports/run";
import type { JobMessage } from "./messages";

type Handler<T extends JobMessage["type"]> = (
  message: Extract<JobMessage, { type: T }>,
  env: Bindings,
) => Promise<void>;

const sendEmail: Handler<"email.send"> = async (message, env) => {
  const transport = new DevOutboxTransport(createDb(env.DB));
  await transport.send({ ...message });
};

/** Drops what has expired: idempotency records (24 h), dead refresh tokens and reset links. */
const purge: Handler<"maintenance.purge"> = async (_message, env) => {
  const db = createDb(env.DB);
  const now = Date.now();
  await db.batch([
    db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, new Date(now - 24 * 3600 * 1000))),
    db.delete(refreshTokens).where(or(lt(refreshTokens.expiresAt, new Date(now)), isNotNull(refreshTokens.revokedAt))!),
    db.delete(passwordResets).where(lt(passwordResets.expiresAt, new Date(now - 24 * 3600 * 1000))),
  ]);
};

export const handlers: { [T in JobMessage["type"]]: Handler<T> } = {
  "email.send": sendEmail,
  "maintenance.purge": purge,
  "import.chunk": runImportChunk,
};

/** A message that used up its retries lands here, kept in D1 for inspection. */
export async function storeDeadLetter(env: Bindings, message: Message<unknown>): Promise<void> {
  const body = message.body as { type?: unknown; tenantId?: unknown } | null;
  await createDb(env.DB)
    .insert(deadLetterJobs)
    .values({
      id: newId("deadLetter"),
      messageId: message.id,
      tenantId: typeof body?.tenantId === "string" ? body.tenantId : null,
      type: typeof body?.type === "string" ? body.type : "unknown",
      body: message.body,
      attempts: message.attempts,
    })
    .onConflictDoNothing({ target: deadLetterJobs.messageId });
}
