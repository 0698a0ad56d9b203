import { describe, expect, it } from "vitest";
import { plainTextToHtml } from "../src/html-body";

describe("plainTextToHtml", () => {
  it("makes paragraphs and line breaks, links URLs and escapes the rest", () => {
    expect(plainTextToHtml("Hi <Ana> & co,\nsee https://example.com/a?b=1&c=2.\n\n\nBye")).toBe(
      '<!doctype html><html><body><p>Hi &lt;Ana&gt; &amp; co,<br>see <a href="https://example.com/a?b=1&amp;c=2">https://example.com/a?b=1&amp;c=2</a>.</p>\n<p>Bye</p></body></html>',
    );
  });

  it("cannot be made to emit markup from a rendered token", () => {
    expect(plainTextToHtml('<img src=x onerror="alert(1)">')).toBe(
      "<!doctype html><html><body><p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p></body></html>",
    );
  });
});
