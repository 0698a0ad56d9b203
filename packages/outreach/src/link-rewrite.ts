// Rewrites the links of an outgoing message to tracked ones. Pure: the caller says what a
// link becomes (a signed click URL), and which links stay as written (unsubscribe, mailto).

/** What a link becomes; return the link itself to leave it untouched. */
export type LinkTracker = (url: string) => string;

const anchorHref = /(<a\b[^>]*?\bhref\s*=\s*)(["'])(.*?)\2/gi;
// A bare URL in text, ending before whitespace, a closing bracket/quote or trailing punctuation.
const bareUrl = /\bhttps?:\/\/[^\s<>"'()[\]]+[^\s<>"'()[\].,;:!?]/gi;

function decodeHtmlAttribute(value: string): string {
  return value
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}

function encodeHtmlAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const trackable = (url: string) => /^https?:\/\//i.test(url);

/** Every http(s) `<a href>` of an HTML body through `track` (attribute entities decoded first). */
export function rewriteHtmlLinks(html: string, track: LinkTracker): string {
  return html.replace(anchorHref, (whole, start: string, quote: string, raw: string) => {
    const url = decodeHtmlAttribute(raw.trim());
    if (!trackable(url)) return whole;
    return `${start}${quote}${encodeHtmlAttribute(track(url))}${quote}`;
  });
}

/** Every bare http(s) URL of a plain-text body through `track`. */
export function rewriteTextLinks(text: string, track: LinkTracker): string {
  return text.replace(bareUrl, (url) => track(url));
}
