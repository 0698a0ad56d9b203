// Addresses and links each outreach message carries. The tracking module's signer replaces
// `unsubscribeToken` at merge (one function to point elsewhere: outreachLinks).

export interface OutreachLinkEnv {
  secretsKey: string;
  /** Where tracking and unsubscribe links point (this API). */
  publicApiUrl: string;
  /** Replies come back to reply+<token>@inboundDomain. */
  inboundDomain: string;
}

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A compact URL-safe token naming the tenant and message, signed with HMAC-SHA256 under SECRETS_KEY. */
async function unsubscribeToken(secretsKey: string, tenantId: string, messageId: string): Promise<string> {
  const payload = base64url(encoder.encode(`u.${tenantId}.${messageId}`));
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secretsKey),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(payload)));
  return `${payload}.${base64url(signature.slice(0, 16))}`;
}

/** A random token for the reply-to address (unguessable: it routes replies to a message). */
export function newReplyToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(15)))
    .toLowerCase()
    .replace(/[-_]/g, "x");
}

/** Message-ID, Reply-To and the List-Unsubscribe headers of one outreach message. */
export async function outreachLinks(
  env: OutreachLinkEnv,
  message: { id: string; tenantId: string; replyToken: string },
) {
  const unsubscribeUrl = `${env.publicApiUrl.replace(/\/$/, "")}/t/u/${await unsubscribeToken(env.secretsKey, message.tenantId, message.id)}`;
  return {
    messageIdHeader: `${message.id}@${env.inboundDomain}`,
    replyTo: `reply+${message.replyToken}@${env.inboundDomain}`,
    unsubscribeUrl,
    headers: {
      "Message-ID": `<${message.id}@${env.inboundDomain}>`,
      "List-Unsubscribe": `<${unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}
