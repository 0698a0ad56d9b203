import { idempotencyKeys, type TenantDb } from "@crm/db";
import { and, eq } from "drizzle-orm";
import { sha256Hex } from "../auth/crypto";

/** How long a stored response is replayed. */
export const idempotencyTtlMs = 24 * 60 * 60 * 1000;
/** A claim with no stored response after this long belongs to a request that died. */
export const idempotencyClaimTimeoutMs = 60 * 1000;
/** `status` of a claimed key whose request is still running. */
const inFlight = 0;

export interface StoredResponse {
  status: number;
  body: string;
  contentType: string;
}

export type IdempotencyClaim =
  | { kind: "claimed" }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "in_progress" }
  | { kind: "mismatch" }
  | { kind: "unreadable" };

/**
 * What the client sent, reduced to a hash: who sent it, method, path and body. The same
 * key with any other request (including from another key or person) is refused.
 */
export function idempotencyRequestHash(parts: { actorId: string; method: string; path: string; body: string }) {
  return sha256Hex(JSON.stringify([parts.actorId, parts.method, parts.path, parts.body]));
}

/**
 * Stored bodies can hold secrets shown once (a new API key), so they are sealed with
 * AES-GCM under a key derived from the server secret and the client's Idempotency-Key,
 * which is itself stored only as a hash: the table alone reveals nothing.
 */
async function sealingKey(serverSecret: string, tenantId: string, idempotencyKey: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(serverSecret), "HKDF", false, [
    "deriveKey",
  ]);
  return crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: new TextEncoder().encode(tenantId),
      info: new TextEncoder().encode(`idempotency-response:${idempotencyKey}`),
    },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  // In slices: spreading a large body into one call would overflow the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

async function seal(key: CryptoKey, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(plaintext));
  return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
}

async function open(key: CryptoKey, stored: string): Promise<string> {
  const [version, iv, data] = stored.split(".");
  if (version !== "v1" || !iv || !data) throw new Error("Unknown idempotency body format");
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(iv) }, key, fromBase64(data));
  return new TextDecoder().decode(plain);
}

/** One client-supplied Idempotency-Key within a tenant. */
export class IdempotencyRecord {
  private constructor(
    private readonly db: TenantDb,
    private readonly keyHash: string,
    private readonly requestHash: string,
    private readonly sealing: CryptoKey,
  ) {}

  static async for(db: TenantDb, serverSecret: string, idempotencyKey: string, requestHash: string) {
    const [keyHash, sealing] = await Promise.all([
      sha256Hex(idempotencyKey),
      sealingKey(serverSecret, db.tenantId, idempotencyKey),
    ]);
    return new IdempotencyRecord(db, keyHash, requestHash, sealing);
  }

  /** Claims the key for this request, or says why not (a stored response, a twin in flight, another request). */
  async claim(now = Date.now()): Promise<IdempotencyClaim> {
    const fresh = {
      key: this.keyHash,
      requestHash: this.requestHash,
      status: inFlight,
      body: "",
      contentType: "",
      createdAt: new Date(now),
    };
    const inserted = await this.db
      .insertQuery(idempotencyKeys, fresh)
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) return { kind: "claimed" };

    const row = await this.db.findFirst(idempotencyKeys, eq(idempotencyKeys.key, this.keyHash));
    if (!row) return this.claim(now); // purged in between: try again
    const age = now - row.createdAt.getTime();
    const abandoned = row.status === inFlight && age > idempotencyClaimTimeoutMs;
    if (age >= idempotencyTtlMs || abandoned) {
      // Expired (not yet purged) or abandoned: take it over, unless another request just did.
      const taken = await this.db.update(
        idempotencyKeys,
        fresh,
        and(eq(idempotencyKeys.key, this.keyHash), eq(idempotencyKeys.createdAt, row.createdAt))!,
      );
      return taken.length > 0 ? { kind: "claimed" } : { kind: "in_progress" };
    }
    if (row.requestHash !== this.requestHash) return { kind: "mismatch" };
    if (row.status === inFlight) return { kind: "in_progress" };
    let body: string;
    try {
      body = await open(this.sealing, row.body);
    } catch {
      // Sealed under a server secret that has since been rotated: it cannot be replayed.
      return { kind: "unreadable" };
    }
    return { kind: "replay", response: { status: row.status, body, contentType: row.contentType } };
  }

  /** Stores the response of the request holding the claim, for replay. */
  async complete(response: StoredResponse): Promise<void> {
    await this.db.update(
      idempotencyKeys,
      { status: response.status, body: await seal(this.sealing, response.body), contentType: response.contentType },
      this.ownClaim(),
    );
  }

  /** Gives the key back after a response that is not stored, so the client can retry with it. */
  async release(): Promise<void> {
    await this.db.delete(idempotencyKeys, this.ownClaim());
  }

  private ownClaim() {
    return and(
      eq(idempotencyKeys.key, this.keyHash),
      eq(idempotencyKeys.requestHash, this.requestHash),
      eq(idempotencyKeys.status, inFlight),
    )!;
  }
}
