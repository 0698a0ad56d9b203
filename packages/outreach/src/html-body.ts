// The HTML part of an outreach email, made from the step's plain-text template output: it is
// what carries the open pixel and shows links as links. Pure.

const bareUrl = /\bhttps?:\/\/[^\s<>"'()[\]]+[^\s<>"'()[\].,;:!?]/gi;

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Paragraphs at blank lines, `<br>` at single line breaks, http(s) URLs as links, everything
 * else escaped (a contact's name rendered into the body can never inject markup).
 */
export function plainTextToHtml(text: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const body = paragraphs
    .map((paragraph) => {
      let html = "";
      let last = 0;
      for (const match of paragraph.matchAll(bareUrl)) {
        html += escapeHtml(paragraph.slice(last, match.index));
        const url = escapeHtml(match[0]);
        html += `<a href="${url}">${url}</a>`;
        last = match.index + match[0].length;
      }
      html += escapeHtml(paragraph.slice(last));
      return `<p>${html.replace(/\n/g, "<br>")}</p>`;
    })
    .join("\n");
  return `<!doctype html><html><body>${body}</body></html>`;
}
