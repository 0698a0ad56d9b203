import { SELF } from "cloudflare:test";
import { expect } from "vitest";

/** A request to the Worker under test, as a client would send it. */
export async function api(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return SELF.fetch(`https://crm.test${path}`, { method, headers, body });
}

// Tests read whatever fields a response has; `any` by default keeps each assertion short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function json<T = any>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

let counter = 0;
export function uniqueEmail(label = "user"): string {
  counter += 1;
  return `${label}.${Date.now().toString(36)}.${counter}.${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export const password = "correct horse battery staple";

export interface TestTenant {
  tenantId: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

/** Signs up a new organization and returns its owner's session. */
export async function signupTenant(organizationName = "Acme"): Promise<TestTenant> {
  const email = uniqueEmail("owner");
  const response = await api("POST", "/api/v1/auth/signup", {
    body: { organizationName, name: "Owner Person", email, password },
    headers: {
      "cf-connecting-ip": `10.${counter % 250}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  const session = await json(response);
  return { tenantId: session.tenantId, email, accessToken: session.accessToken, refreshToken: session.refreshToken };
}

/** Creates an API key in the tenant with the given scopes and returns its secret. */
export async function createKey(
  owner: TestTenant,
  scopes: string[],
  extra: Record<string, unknown> = {},
): Promise<{ id: string; key: string }> {
  const response = await api("POST", "/api/v1/api-keys", {
    token: owner.accessToken,
    body: { name: "Test key", scopes, ...extra },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  const created = await json(response);
  return { id: created.id, key: created.key };
}

/** Asserts an RFC 9457 problem with this status and code, and returns it. */
export async function expectProblem(response: Response, status: number, code?: string) {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  const problem = JSON.parse(text);
  expect(problem.status).toBe(status);
  expect(typeof problem.type).toBe("string");
  expect(typeof problem.title).toBe("string");
  expect(typeof problem.detail).toBe("string");
  expect(problem.requestId).toBe(response.headers.get("x-request-id"));
  if (code) expect(problem.code).toBe(code);
  return problem;
}
