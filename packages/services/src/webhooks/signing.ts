import { Webhook } from "standardwebhooks";

/** A new signing secret: `whsec_` + base64 of 32 random bytes (Standard Webhooks: 24 to 64 bytes). */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

/**
 * The three Standard Webhooks headers for one attempt. With several secrets (a rotation's
 * overlap) `webhook-signature` carries one `v1,<sig>` per secret, space-separated: a receiver
 * holding either secret verifies it.
 */
export function signedHeaders(messageId: string, timestamp: Date, payload: string, secrets: string[]) {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, payload)).join(" "),
  };
}
