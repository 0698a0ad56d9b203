// Addresses and links each outreach message carries: Message-ID and Reply-To (how a reply
// finds its message again) and the signed tracking links (open pixel, clicks, unsubscribe).
import { plainTextToHtml } from "@crm/outreach";
import { type SignedMessageTokens, trackingLinks } from "./tracking/tokens";

export interface OutreachLinkEnv {
  secretsKey: string;
  /** Where tracking and unsubscribe links point (this API). */
  publicApiUrl: string;
  /** Replies come back to reply+<token>@inboundDomain. */
  inboundDomain: string;
}

/** A random token for the reply-to address (unguessable: it routes replies to a message). */
export function newReplyToken(): string {
  let binary = "";
  for (const b of crypto.getRandomValues(new Uint8Array(15))) binary += String.fromCharCode(b);
  return btoa(binary).replace(/=+$/, "").toLowerCase().replace(/[+/]/g, "x");
}

/**
 * Message-ID, Reply-To, the List-Unsubscribe headers (RFC 8058 one-click) and the body of one
 * outreach email: links in the text and HTML parts go through signed click redirects, the
 * HTML part carries the open pixel, and both end with the unsubscribe link.
 */
export function outreachLinks(
  env: OutreachLinkEnv,
  message: { id: string; tenantId: string; replyToken: string },
  signed?: SignedMessageTokens,
) {
  const tracking = trackingLinks(env, message, signed);
  return {
    messageIdHeader: `${message.id}@${env.inboundDomain}`,
    replyTo: `reply+${message.replyToken}@${env.inboundDomain}`,
    unsubscribeUrl: tracking.unsubscribeUrl,
    headers: {
      "Message-ID": `<${message.id}@${env.inboundDomain}>`,
      ...tracking.unsubscribeHeaders,
    },
    /**
     * The text and HTML parts, each ending with the unsubscribe link. `html`: the sender's own
     * HTML part (else the text's); `trackClicks` / `trackOpens` false: links as written / no pixel.
     */
    body(
      text: string,
      options: { html?: string | null | undefined; trackClicks?: boolean; trackOpens?: boolean } = {},
    ): { text: string; html: string } {
      const withFooter = `${text}\n\n--\nUnsubscribe: ${tracking.unsubscribeUrl}\n`;
      const html = options.html ? withHtmlFooter(options.html, tracking.unsubscribeUrl) : plainTextToHtml(withFooter);
      const tracked = tracking.trackBody(
        { text: withFooter, html },
        { clicks: options.trackClicks !== false, opens: options.trackOpens !== false },
      );
      return { text: tracked.text, html: tracked.html ?? html };
    },
  };
}

/** The sender's HTML with the unsubscribe link as its last paragraph (inside <body> when it has one). */
function withHtmlFooter(html: string, unsubscribeUrl: string): string {
  const footer = `<p style="font-size:12px;color:#666">--<br><a href="${unsubscribeUrl}">Unsubscribe</a></p>`;
  return /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${footer}</body>`) : `${html}${footer}`;
}
