import { createHash, randomBytes } from "node:crypto";

/**
 * Secrets at rest (mailbox passwords, provider tokens): AES-256-GCM under a key derived from
 * the Worker secret SECRETS_KEY. Sealed form: `v1.<iv>.<ciphertext+tag>`, base64url parts.
 * The additional data binds a sealed value to its row (`<tenantId>:<rowId>`), so a value
 * copied into another tenant's row does not open.
 */
const version = "v1";
const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(secret: string): Promise<CryptoKey> {
  if (secret.length < 16) throw new Error("SECRETS_KEY must be at least 16 characters");
  let key = keys.get(secret);
  if (!key) {
    const material = createHash("sha256").update(`crm-sealed-secrets:${secret}`).digest();
    key = crypto.subtle.importKey("raw", material, "AES-GCM", false, ["encrypt", "decrypt"]);
    keys.set(secret, key);
  }
  return key;
}

export async function sealSecret(secret: string, plaintext: string, boundTo: string): Promise<string> {
  const iv = randomBytes(12);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(boundTo) },
    await keyFor(secret),
    new TextEncoder().encode(plaintext),
  );
  return [version, Buffer.from(iv).toString("base64url"), Buffer.from(sealed).toString("base64url")].join(".");
}

/** Throws when the value was sealed under another key or for another row. */
export async function openSecret(secret: string, sealed: string, boundTo: string): Promise<string> {
  const [v, iv, body] = sealed.split(".");
  if (v !== version || !iv || !body) throw new Error("not a sealed secret");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: Buffer.from(iv, "base64url"), additionalData: new TextEncoder().encode(boundTo) },
    await keyFor(secret),
    Buffer.from(body, "base64url"),
  );
  return new TextDecoder().decode(plain);
}
