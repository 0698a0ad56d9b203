import { beforeAll, describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json } from "./harness";
import { createFixture, findFixture, fixtureBody, fixtureFor, fixtureTemplate, listQueries } from "./matrix/fixtures";
import { fillPath, loadOpenApi, type Operation, pathParams, type Role, roleAtLeast, roles } from "./matrix/openapi";
import { buildWorld, harnessKeyRateLimit, type World } from "./matrix/world";

/**
 * Every operation in /openapi.json, against every kind of caller: no credentials, garbage
 * credentials, another tenant, each role below the route's minimum, an API key without the
 * route's scope and one with exactly that scope. New routes are covered the moment they are
 * registered; a route with path parameters also needs a fixture in matrix/fixtures.ts.
 */
const { operations } = await loadOpenApi();
const guarded = operations.filter(
  (op): op is Operation & { access: { role: Role; keys: boolean; scope?: string } } => !op.access.public,
);

/** Well-formed but unknown: enough for checks that must refuse before any lookup. */
const placeholderId = "zz_01jc9x7d1q8m3v5n2k4p6r8t0w";
const garbageCredentials = [
  "garbage",
  "crm_thisIsNotAKeyThatExists0000000000",
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",
];

let world: World;
beforeAll(async () => {
  world = await buildWorld();
}, 120_000);

const sharedFixtures = new Map<string, Promise<Record<string, string>>>();
/** One record per fixture in tenant A for checks that must leave it untouched. */
function sharedFixture(template: string): Promise<Record<string, string>> {
  const key = fixtureTemplate(template) ?? template;
  let values = sharedFixtures.get(key);
  if (!values) {
    values = createFixture(key, world.a.owner);
    sharedFixtures.set(key, values);
  }
  return values;
}

const exactKeys = new Map<string, Promise<string>>();
/** A key of tenant A holding only `scope`. */
function keyWithOnly(scope: string): Promise<string> {
  let key = exactKeys.get(scope);
  if (!key) {
    key = createKey(world.a.owner, [scope], { name: `only ${scope}`, rateLimit: harnessKeyRateLimit }).then(
      (k) => k.key,
    );
    exactKeys.set(scope, key);
  }
  return key;
}

function placeholders(op: Operation): Record<string, string> {
  return Object.fromEntries(pathParams(op.path).map((name) => [name, placeholderId]));
}

function bodyFor(op: Operation, values: Record<string, string>): unknown {
  if (op.method === "get" || op.method === "delete") return undefined;
  return fixtureBody(op.path, op.method, values) ?? (op.body ? {} : undefined);
}

function call(op: Operation, token: string | undefined, values: Record<string, string> = placeholders(op), query = "") {
  const body = bodyFor(op, values);
  return api(op.method.toUpperCase(), fillPath(op.path, values) + query, {
    ...(token ? { token } : {}),
    ...(body !== undefined ? { body } : {}),
  });
}

const queryCache = new Map<string, Promise<string>>();
/** `?…` for a list that needs query parameters, "" when it needs none, null when unknown. */
async function listQuery(op: Operation): Promise<string | null> {
  const required = op.parameters.some((p) => p.in === "query" && p.required);
  const make = listQueries[op.path];
  if (!make) return required ? null : "";
  let query = queryCache.get(op.path);
  if (!query) {
    query = make(sharedFixture).then((values) => `?${new URLSearchParams(values)}`);
    queryCache.set(op.path, query);
  }
  return query;
}

/** Not refused; and a read with everything it needs answers 2xx. */
async function expectLetIn(response: Response, op: Operation, complete: boolean): Promise<void> {
  const text = await response.clone().text();
  expect([401, 403], `${op.label}: ${text}`).not.toContain(response.status);
  if (op.method === "get" && complete) {
    expect(response.status, `${op.label}: ${text}`).toBeGreaterThanOrEqual(200);
    expect(response.status, `${op.label}: ${text}`).toBeLessThan(300);
  }
}

/**
 * Operations anyone may call. Making a route public takes adding it here, so an access rule
 * dropped by mistake fails this file instead of silently leaving the matrix.
 */
const publicOperations = [
  "GET /health",
  "POST /api/v1/auth/signup",
  "POST /api/v1/auth/login",
  "POST /api/v1/auth/refresh",
  "POST /api/v1/auth/password-reset",
  "POST /api/v1/auth/password-reset/confirm",
  "POST /api/v1/invitations/accept",
  "GET /api/v1/dev/outbox", // development and tests only; 404 in production
  // Outreach mail's links and provider callbacks: each carries a signed token naming its tenant.
  "GET /t/o/{token}",
  "GET /t/c/{token}",
  "GET /t/u/{token}",
  "POST /t/u/{token}",
  "POST /hooks/postmark/{mailboxId}",
];

describe("the document", () => {
  it("has exactly the expected public operations", () => {
    expect(
      operations
        .filter((op) => op.access.public)
        .map((op) => op.label)
        .sort(),
    ).toEqual([...publicOperations].sort());
  });

  it("has guarded operations to check, each publishing its security requirements", () => {
    expect(guarded.length).toBeGreaterThan(5);
    for (const op of guarded) expect(op.security.length, op.label).toBeGreaterThan(0);
    for (const op of operations.filter((o) => o.access.public)) expect(op.security, op.label).toEqual([]);
  });
});

for (const op of guarded) {
  const access = op.access;
  const templated = pathParams(op.path).length > 0;
  const needsMissingFixture = templated && !findFixture(op.path);

  describe(op.label, () => {
    it("without credentials is 401", async () => {
      await expectProblem(await call(op, undefined), 401, "UNAUTHORIZED");
    });

    it("with garbage credentials is 401", async () => {
      for (const token of garbageCredentials) await expectProblem(await call(op, token), 401, "UNAUTHORIZED");
    });

    if (templated) {
      it("has a fixture for its path parameters", () => {
        expect(() => fixtureFor(op.path)).not.toThrow();
      });

      // Without a fixture only the test above fails, with the instructions.
      it.skipIf(needsMissingFixture)(
        "answers tenant B 404 for tenant A's record, and leaves it unchanged",
        async () => {
          const values = await sharedFixture(op.path);
          const read = operations.find((o) => o.method === "get" && o.path === op.path);
          const snapshot = async () => {
            const response = await api("GET", fillPath(op.path, values), { token: world.a.owner.accessToken });
            expect(response.status, `tenant A reads its own ${op.path}`).toBe(200);
            // Downloads (CSV) are compared as text.
            return response.headers.get("content-type")?.includes("json") ? json(response) : response.text();
          };
          const before = read ? await snapshot() : undefined;
          await expectProblem(await call(op, world.b.owner.accessToken, values), 404, "NOT_FOUND");
          if (access.keys) await expectProblem(await call(op, world.b.allScopesKey, values), 404, "NOT_FOUND");
          if (read) {
            const after = await snapshot();
            // A read decided at request time (a next best action) differs by the clock alone.
            if (!findFixture(op.path)?.decidedNow) expect(after).toEqual(before);
          }
        },
      );
    }

    for (const role of roles.filter((r) => r !== "owner" && !roleAtLeast(r, access.role))) {
      it(`refuses a ${role} with 403 (needs ${access.role})`, async () => {
        await expectProblem(await call(op, world.a.people[role].accessToken), 403, "FORBIDDEN");
      });
    }

    if (access.keys && access.scope) {
      const scope = access.scope;
      it(`refuses an API key without ${scope} with 403 INSUFFICIENT_SCOPE`, async () => {
        await expectProblem(await call(op, await world.keyWithout(scope)), 403, "INSUFFICIENT_SCOPE");
      });

      it.skipIf(needsMissingFixture)(`lets in an API key with only ${scope}`, async () => {
        // A write may consume its record (a delete), so it gets a record of its own.
        const values = templated
          ? op.method === "get"
            ? await sharedFixture(op.path)
            : await createFixture(op.path, world.a.owner)
          : undefined;
        const query = op.method === "get" ? await listQuery(op) : "";
        await expectLetIn(await call(op, await keyWithOnly(scope), values, query ?? ""), op, query !== null);
      });
    } else {
      it("refuses API keys with 403, whatever their scopes", async () => {
        await expectProblem(await call(op, world.a.allScopesKey), 403, "FORBIDDEN");
      });
    }

    if (op.method === "get") {
      it.skipIf(needsMissingFixture)(`lets in every role from ${access.role} up, in its own tenant`, async () => {
        const values = templated ? await sharedFixture(op.path) : undefined;
        const query = await listQuery(op);
        const personal = templated && findFixture(op.path)?.personal;
        for (const role of roles.filter((r) => roleAtLeast(r, access.role))) {
          const response = await call(op, world.a.people[role].accessToken, values, query ?? "");
          // A personal record (made by the owner) is nobody else's: 404, as for another tenant's.
          if (personal && role !== "owner") await expectProblem(response, 404, "NOT_FOUND");
          else await expectLetIn(response, op, query !== null);
        }
      });

      if (!templated && findFixture(`${op.path}/{id}`)) {
        it("never shows tenant A's record in tenant B's list", async () => {
          const { id } = await sharedFixture(`${op.path}/{id}`);
          const query = await listQuery(op);
          if (query === null)
            throw new Error(`${op.label} needs query parameters: add them to listQueries in test/matrix/fixtures.ts`);
          const listOf = (token: string) =>
            api("GET", `${op.path}${query || "?"}${query ? "&" : ""}limit=200`, { token });
          const own = await listOf(world.a.owner.accessToken);
          expect(own.status, await own.clone().text()).toBe(200);
          expect(await own.text()).toContain(id);
          // Tenant B either sees a list without it or, for a list under A's record, 404.
          for (const token of access.keys
            ? [world.b.owner.accessToken, world.b.allScopesKey]
            : [world.b.owner.accessToken]) {
            const theirs = await listOf(token);
            if (theirs.status === 404) await expectProblem(theirs, 404, "NOT_FOUND");
            else {
              expect(theirs.status).toBe(200);
              expect(await theirs.text()).not.toContain(id);
            }
          }
        });
      }
    }
  });
}
