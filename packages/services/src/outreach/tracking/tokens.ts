import { createHmac, timingSafeEqual } from "node:crypto";
import { rewriteHtmlLinks, rewriteTextLinks } from "@crm/outreach";

/**
 * Signed tokens in tracking, click and unsubscribe URLs: `<kind>.<tenantId>.<messageId>[.<url>].<sig>`,
 * the URL base64url-encoded, the signature the first 16 bytes of HMAC-SHA256 under SECRETS_KEY
 * (base64url). Ids are typeids (letters, digits, `_`), so the token is URL-safe as it stands.
 * A token names its tenant, so the unauthenticated /t/* routes know whose message it is.
 */
export const trackingTokenKinds = { open: "o", click: "c", unsubscribe: "u" } as const;
export type TrackingTokenKind = keyof typeof trackingTokenKinds;

export interface TrackingTokenPayload {
  kind: TrackingTokenKind;
  tenantId: string;
  messageId: string;
  /** click tokens only: where the link goes. */
  url?: string;
}

const idPattern = /^[a-z]+_[0-9a-z]+$/;
const signatureBytes = 16;

function checkSecret(secret: string): void {
  if (secret.length < 16) throw new Error("SECRETS_KEY must be at least 16 characters");
}

function signature(secret: string, body: string): Buffer {
  checkSecret(secret);
  return createHmac("sha256", secret).update(`crm-tracking:v1:${body}`).digest().subarray(0, signatureBytes);
}

/** What a token signs: everything but its signature. */
function tokenBody(payload: TrackingTokenPayload): string {
  const parts: string[] = [trackingTokenKinds[payload.kind], payload.tenantId, payload.messageId];
  if (payload.kind === "click") parts.push(Buffer.from(payload.url ?? "", "utf8").toString("base64url"));
  return parts.join(".");
}

export function signTrackingToken(secret: string, payload: TrackingTokenPayload): string {
  const body = tokenBody(payload);
  return `${body}.${signature(secret, body).toString("base64url")}`;
}

const webCryptoKeys = new Map<string, Promise<CryptoKey>>();

/**
 * signTrackingToken's tokens for many payloads at once (a send batch's pixels and unsubscribe
 * links): the same HMAC through WebCrypto with the key imported once, about a third of the
 * time per token of a node:crypto Hmac object each (a stream, and the key imported again).
 */
export async function signTrackingTokens(secret: string, payloads: TrackingTokenPayload[]): Promise<string[]> {
  checkSecret(secret);
  let key = webCryptoKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    webCryptoKeys.set(secret, key);
  }
  const hmacKey = await key;
  const encoder = new TextEncoder();
  const bodies = payloads.map(tokenBody);
  const signatures = await Promise.all(
    bodies.map((body) => crypto.subtle.sign("HMAC", hmacKey, encoder.encode(`crm-tracking:v1:${body}`))),
  );
  return bodies.map((body, i) => `${body}.${Buffer.from(signatures[i]!, 0, signatureBytes).toString("base64url")}`);
}

/** The payload of a token signed under `secret` for this kind; null for anything else (tampered, other kind, malformed). */
export function verifyTrackingToken(
  secret: string,
  token: string,
  kind: TrackingTokenKind,
): TrackingTokenPayload | null {
  const parts = token.split(".");
  const expectedParts = kind === "click" ? 5 : 4;
  if (parts.length !== expectedParts || parts[0] !== trackingTokenKinds[kind]) return null;
  // Compared as text: a non-canonical encoding of the right bytes is not our token either.
  const given = Buffer.from(parts.at(-1)!, "utf8");
  const expected = Buffer.from(signature(secret, parts.slice(0, -1).join(".")).toString("base64url"), "utf8");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [, tenantId, messageId, encodedUrl] = parts as [string, string, string, string | undefined];
  if (!idPattern.test(tenantId) || !idPattern.test(messageId)) return null;
  if (kind !== "click") return { kind, tenantId, messageId };
  const url = Buffer.from(encodedUrl ?? "", "base64url").toString("utf8");
  // Only web links were ever signed; anything else is refused even with a valid signature.
  if (!/^https?:\/\//i.test(url)) return null;
  return { kind, tenantId, messageId, url };
}

export interface TrackingLinkDeps {
  secretsKey: string;
  /** PUBLIC_API_URL: where /t/* is served. */
  publicApiUrl: string;
}

export interface TrackingLinks {
  /** The 1x1 GIF to put at the end of an HTML body. */
  openPixelUrl: string;
  /** For the List-Unsubscribe header and the footer link (GET: page; POST: RFC 8058 one-click). */
  unsubscribeUrl: string;
  /** `List-Unsubscribe` and `List-Unsubscribe-Post` as RFC 8058 wants them. */
  unsubscribeHeaders: { "List-Unsubscribe": string; "List-Unsubscribe-Post": string };
  clickUrl(url: string): string;
  /**
   * The body with its links tracked (never the unsubscribe link) and the open pixel appended to
   * the HTML; `clicks` / `opens` false leave the links as written / add no pixel.
   */
  trackBody(
    body: { text: string; html?: string | null | undefined },
    options?: { clicks?: boolean; opens?: boolean },
  ): { text: string; html: string | null };
}

/** A message's open and unsubscribe tokens signed beforehand (signTrackingTokens, for a batch). */
export interface SignedMessageTokens {
  open: string;
  unsubscribe: string;
}

/** Every tracked URL of one outreach message. */
export function trackingLinks(
  deps: TrackingLinkDeps,
  message: { tenantId: string; id: string },
  signed?: SignedMessageTokens,
): TrackingLinks {
  const base = deps.publicApiUrl.replace(/\/+$/, "");
  const sign = (kind: TrackingTokenKind, url?: string) =>
    signTrackingToken(deps.secretsKey, {
      kind,
      tenantId: message.tenantId,
      messageId: message.id,
      ...(url ? { url } : {}),
    });
  const openPixelUrl = `${base}/t/o/${signed?.open ?? sign("open")}.gif`;
  const unsubscribeUrl = `${base}/t/u/${signed?.unsubscribe ?? sign("unsubscribe")}`;
  const clickUrl = (url: string) => `${base}/t/c/${sign("click", url)}`;
  const track = (url: string) => (url.startsWith(`${base}/t/`) ? url : clickUrl(url));
  return {
    openPixelUrl,
    unsubscribeUrl,
    unsubscribeHeaders: {
      "List-Unsubscribe": `<${unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
    clickUrl,
    trackBody(body, options = {}) {
      const clicks = options.clicks !== false;
      const text = clicks ? rewriteTextLinks(body.text, track) : body.text;
      if (!body.html) return { text, html: null };
      const html = clicks ? rewriteHtmlLinks(body.html, track) : body.html;
      if (options.opens === false) return { text, html };
      const pixel = `<img src="${openPixelUrl}" width="1" height="1" alt="" style="display:none">`;
      return { text, html: /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${pixel}</body>`) : `${html}${pixel}` };
    },
  };
}
