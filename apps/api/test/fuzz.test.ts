import { SELF } from "cloudflare:test";
import fc from "fast-check";
import { allScopes } from "@crm/services";
import { beforeAll, describe, expect, it } from "vitest";
import { createKey, password, signupTenant, api, json, type TestTenant } from "./harness";
import { bodyFor, headerValue, type Mode, pathValueFor, queryFor, type WireBody } from "./matrix/arbitraries";
import { createFixture, findFixture } from "./matrix/fixtures";
import { loadOpenApi, type Operation, pathParams } from "./matrix/openapi";
import { harnessKeyRateLimit } from "./matrix/world";

/**
 * Sends generated malformed and boundary input to every operation in /openapi.json and
 * checks what any client may rely on: never a 5xx, and every error is a problem+json body
 * whose status and request id match the response.
 */
const runsPerOperation = 25;
const { doc, operations } = await loadOpenApi();

let owner: TestTenant;
let key: string;
/** Real records per operation, made before any fuzzing can change the tenant (a required custom field, say). */
const realIds = new Map<string, string[]>();
beforeAll(async () => {
  owner = await signupTenant("Fuzzed");
  key = (await createKey(owner, allScopes, { name: "fuzz", rateLimit: harnessKeyRateLimit })).key;
  for (const op of operations) {
    if (pathParams(op.path).length > 0 && findFixture(op.path)) {
      realIds.set(op.label, Object.values(await createFixture(op.path, owner)));
    }
  }
}, 120_000);

/** A session of its own per operation: fuzzing logout must not sign the other cases out. */
async function ownerSession(): Promise<string> {
  const response = await api("POST", "/api/v1/auth/login", {
    body: { email: owner.email, password, tenantId: owner.tenantId },
  });
  expect(response.status).toBe(200);
  return (await json(response)).accessToken;
}

function encodePathValue(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // Lone surrogates cannot be percent-encoded; send their replacement instead.
    return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, "\ufffd"));
  }
}

interface Case {
  mode: Mode;
  path: Record<string, string>;
  query: [string, string][];
  body: WireBody;
  idempotencyKey: string | null;
}

function requestFor(op: Operation, input: Case, token: string | undefined): Request {
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodePathValue(input.path[name] ?? ""));
  const url = new URL(`https://crm.test${path}`);
  for (const [name, value] of input.query) url.searchParams.append(name, value.replace(/[\ud800-\udfff]/g, "\ufffd"));
  const headers = new Headers({
    "cf-connecting-ip": `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  });
  if (token) headers.set("authorization", `Bearer ${token}`);
  if (input.idempotencyKey !== null) headers.set("idempotency-key", input.idempotencyKey);
  let body: string | undefined;
  if ("json" in input.body) body = JSON.stringify(input.body.json) ?? "null";
  else if ("raw" in input.body) body = input.body.raw;
  if (body !== undefined) headers.set("content-type", "application/json");
  return new Request(url, { method: op.method.toUpperCase(), headers, body });
}

async function expectWellFormed(response: Response, op: Operation): Promise<void> {
  const label = op.label;
  const text = await response.text();
  const where = `${label} → ${response.status} ${text.slice(0, 300)}`;
  expect(response.status, where).toBeLessThan(500);
  expect(response.headers.get("x-request-id"), where).toBeTruthy();
  if (response.status < 400) return;
  if (op.htmlErrors && response.headers.get("content-type")?.startsWith("text/html")) {
    expect(text, where).not.toMatch(/\n\s+at\s|node_modules|\.ts:\d+/);
    return;
  }
  expect(response.headers.get("content-type"), where).toContain("application/problem+json");
  const problem = JSON.parse(text);
  expect(problem.status, where).toBe(response.status);
  expect(typeof problem.code, where).toBe("string");
  expect(typeof problem.title, where).toBe("string");
  expect(problem.requestId, where).toBe(response.headers.get("x-request-id"));
  expect(text, where).not.toMatch(/\n\s+at\s|node_modules|\.ts:\d+/);
}

describe("fuzzing every operation from its schema", () => {
  it("has operations to fuzz", () => {
    expect(operations.length).toBeGreaterThan(10);
  });

  for (const op of operations) {
    it(
      op.label,
      async () => {
        const token = op.access.public ? undefined : op.access.keys ? key : await ownerSession();
        const caseFor = (mode: Mode): fc.Arbitrary<Case> =>
          fc.record({
            mode: fc.constant(mode),
            path: fc.record(
              Object.fromEntries(
                pathParams(op.path).map((name) => [
                  name,
                  pathValueFor(mode === "plausible" ? (realIds.get(op.label) ?? []) : [], mode),
                ]),
              ),
            ),
            query: queryFor(doc, op.parameters, mode),
            body: bodyFor(doc, op, mode),
            idempotencyKey:
              op.method === "post"
                ? fc.option(mode === "plausible" ? fc.uuid() : headerValue, { nil: null })
                : fc.constant(null),
          });
        // A third of the cases are plausible (they reach the services and D1), the rest hostile.
        const input = fc.oneof(
          { arbitrary: caseFor("plausible"), weight: 1 },
          { arbitrary: caseFor("hostile"), weight: 2 },
        );
        await fc.assert(
          fc.asyncProperty(input, async (generated) => {
            await expectWellFormed(await SELF.fetch(requestFor(op, generated, token)), op);
          }),
          { numRuns: runsPerOperation, endOnFailure: true, includeErrorInReport: true },
        );
      },
      120_000,
    );
  }
});
