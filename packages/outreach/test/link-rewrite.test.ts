import { describe, expect, it } from "vitest";
import { rewriteHtmlLinks, rewriteTextLinks } from "../src/link-rewrite";

const track = (url: string) => `https://t.example/c/${encodeURIComponent(url)}`;

describe("rewriteHtmlLinks", () => {
  it("tracks http(s) anchors, decodes entities first, leaves mailto and other attributes alone", () => {
    const html =
      '<p><a class="x" href="https://acme.example/a?b=1&amp;c=2">A</a> <a href=\'http://b.example\'>B</a> ' +
      '<a href="mailto:me@acme.example">mail</a> <img src="https://img.example/x.png"></p>';
    expect(rewriteHtmlLinks(html, track)).toBe(
      '<p><a class="x" href="https://t.example/c/https%3A%2F%2Facme.example%2Fa%3Fb%3D1%26c%3D2">A</a> ' +
        "<a href='https://t.example/c/http%3A%2F%2Fb.example'>B</a> " +
        '<a href="mailto:me@acme.example">mail</a> <img src="https://img.example/x.png"></p>',
    );
  });

  it("escapes what the tracker returns for the attribute", () => {
    expect(rewriteHtmlLinks('<a href="https://a.example">x</a>', () => "https://t.example/?a=1&b=2")).toBe(
      '<a href="https://t.example/?a=1&amp;b=2">x</a>',
    );
  });
});

describe("rewriteTextLinks", () => {
  it("tracks bare URLs without swallowing trailing punctuation or brackets", () => {
    const text = "See https://acme.example/pricing. Or (http://b.example/x?y=1), thanks!";
    expect(rewriteTextLinks(text, (u) => `[${u}]`)).toBe(
      "See [https://acme.example/pricing]. Or ([http://b.example/x?y=1]), thanks!",
    );
  });
});
