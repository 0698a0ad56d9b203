import { describe, expect, it } from "vitest";
import { api, expectProblem } from "./harness";

describe("API docs work offline", () => {
  it("GET /docs is an HTML page that loads its script from this server only", async () => {
    const response = await api("GET", "/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    expect(html).toContain('<script src="/docs/assets/scalar.js"');
    expect(html).toContain('"url": "/openapi.json"');
    // Every script and stylesheet the page names is on this origin: no CDN.
    const sources = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source).toMatch(/^\/(?!\/)/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("serves Scalar's browser bundle as JavaScript", async () => {
    const response = await api("GET", "/docs/assets/scalar.js");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^(application|text)\/javascript/);
    const script = await response.text();
    // The standalone bundle defines the global the page's inline script calls.
    expect(script).toContain("createApiReference");
    expect(script.length).toBeGreaterThan(1_000_000);
  });

  it("answers an unknown asset path with a 404 problem", async () => {
    await expectProblem(await api("GET", "/docs/assets/missing.js"), 404, "NOT_FOUND");
  });

  it("publishes the OpenAPI document the page renders", async () => {
    const response = await api("GET", "/openapi.json");
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toContain("/health");
  });
});
