// `npm run bench`: what API key verification and rate limiting cost on a one-record read.
//   A: GET /api/v1/audit-log/{id} with an API key (key check, rate limit, one D1 read)
//   B: GET /__bench/audit-log/{id} (the same D1 read; no auth, no rate limit)
// Both run in the same Worker bundle under Miniflare's Node API (workerd itself on
// 127.0.0.1, no `wrangler dev` proxy in front), in one run; the figure that matters is A/B.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { bundleWorker, tempDir, tool } from "../scripts/lib.mjs";
import { startBundledWorker } from "../scripts/worker-runtime.mjs";

const connections = 50;
const warmupSeconds = 3;
const measureSeconds = 10;
const goal = 0.6;
// Each tenant may make 6,000 requests a minute: the load is spread over enough tenants
// (one key each) that no request is answered 429, which would flatter A.
const tenantCount = 12;

async function call(base, method, route, { token, body, ip } = {}) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (ip) headers["cf-connecting-ip"] = ip;
  const response = await fetch(new URL(route, base), { method, headers, body: body && JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** A tenant, an API key that may read the audit log, and one audit entry (the key's creation). */
async function seedTenant(base, index) {
  const email = `bench-${index}-${randomBytes(4).toString("hex")}@example.com`;
  const session = await call(base, "POST", "/api/v1/auth/signup", {
    body: { organizationName: `Bench ${index}`, name: "Bench Owner", email, password: "bench-password-123" },
    ip: `127.0.1.${index}`,
  });
  const key = await call(base, "POST", "/api/v1/api-keys", {
    token: session.accessToken,
    body: { name: "bench", scopes: ["audit_log:read"], rateLimit: 100_000 },
  });
  const page = await call(base, "GET", "/api/v1/audit-log?entity=api_key&limit=1", { token: key.key });
  const entryId = page.data[0]?.id;
  if (!entryId) throw new Error("The key's creation left no audit entry");
  return { tenantId: session.tenantId, key: key.key, entryId };
}

/** Round-robin over the tenants, one request at a time. */
function rotating(tenants, toRequest) {
  let next = 0;
  return (request) => {
    const tenant = tenants[next++ % tenants.length];
    return { ...request, ...toRequest(tenant) };
  };
}

function load(url, setupRequest, seconds) {
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: [{ method: "GET", setupRequest }],
  });
}

async function measure(label, base, setupRequest) {
  await load(base, setupRequest, warmupSeconds);
  const result = await load(base, setupRequest, measureSeconds);
  const failures = result.non2xx + result.errors + result.timeouts;
  if (failures > 0) {
    throw new Error(`${label}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return {
    label,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
  };
}

const scratch = tempDir("bench");
const bundleDir = path.join(scratch, "bundle");
const persistDir = path.join(scratch, "state");
let worker;
try {
  console.log("Bundling the Worker (wrangler deploy --dry-run)...");
  if ((await bundleWorker(bundleDir)) !== 0) throw new Error("Bundling failed");
  console.log("Applying D1 migrations to a fresh local database...");
  const migrated = await tool("wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { CI: "true" },
  });
  if (migrated !== 0) throw new Error("wrangler d1 migrations apply failed");

  worker = await startBundledWorker({
    bundleDir,
    persistDir,
    bindings: { JWT_SECRET: randomBytes(32).toString("base64url"), BENCH_ROUTES: "true" },
  });
  const base = worker.url.href;
  console.log(`Worker on ${base}; seeding ${tenantCount} tenants through the API...`);
  const tenants = [];
  for (let i = 0; i < tenantCount; i++) tenants.push(await seedTenant(base, i + 1));

  console.log(`Each target: ${warmupSeconds} s warm-up, then ${measureSeconds} s with ${connections} connections.`);
  const withKey = await measure(
    "A: GET /api/v1/audit-log/{id} (API key)",
    base,
    rotating(tenants, (t) => ({
      path: `/api/v1/audit-log/${t.entryId}`,
      headers: { authorization: `Bearer ${t.key}` },
    })),
  );
  const bare = await measure(
    "B: GET /__bench/audit-log/{id} (bare)",
    base,
    rotating(tenants, (t) => ({ path: `/__bench/audit-log/${t.entryId}?tenantId=${t.tenantId}` })),
  );

  console.log("");
  for (const r of [withKey, bare]) {
    console.log(
      `${r.label.padEnd(42)} ${r.requestsPerSecond.toFixed(0).padStart(6)} req/s   p50 ${r.p50} ms   p99 ${r.p99} ms   (${r.total} requests)`,
    );
  }
  const ratio = withKey.requestsPerSecond / bare.requestsPerSecond;
  console.log(`\nRatio A/B: ${ratio.toFixed(2)} (goal >= ${goal}: ${ratio >= goal ? "met" : "NOT met"})`);
} catch (error) {
  console.error(`Benchmark failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  await worker?.dispose();
  rmSync(scratch, { recursive: true, force: true });
}
