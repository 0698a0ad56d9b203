// `npm run bench`, first step: what API key verification and rate limiting cost on a one-record read.
//   A: GET /api/v1/audit-log/{id} with an API key (key check, rate limit, one D1 read)
//   B: GET /__bench/audit-log/{id} (the same D1 read; no auth, no rate limit)
// Both run in the same Worker bundle under Miniflare's Node API (workerd itself on
// 127.0.0.1, no `wrangler dev` proxy in front), in one run; the figure that matters is A/B.
import { call, connections, formatResult, measure, rotating, signUp, startBenchWorker } from "./harness.mjs";

const timing = { warmupSeconds: 3, measureSeconds: 10 };
const goal = 0.6;
// Each tenant may make 6,000 requests a minute: the load is spread over enough tenants
// (one key each) that no request is answered 429, which would flatter A.
const tenantCount = 12;

/** A tenant, an API key that may read the audit log, and one audit entry (the key's creation). */
async function seedTenant(base, index) {
  const session = await signUp(base, "Bench", index);
  const key = await call(base, "POST", "/api/v1/api-keys", {
    token: session.accessToken,
    body: { name: "bench", scopes: ["audit_log:read"], rateLimit: 100_000 },
  });
  const page = await call(base, "GET", "/api/v1/audit-log?entity=api_key&limit=1", { token: key.key });
  const entryId = page.data[0]?.id;
  if (!entryId) throw new Error("The key's creation left no audit entry");
  return { tenantId: session.tenantId, key: key.key, entryId };
}

let worker;
try {
  worker = await startBenchWorker("bench");
  const { base } = worker;
  console.log(`Worker on ${base}; seeding ${tenantCount} tenants through the API...`);
  const tenants = [];
  for (let i = 0; i < tenantCount; i++) tenants.push(await seedTenant(base, i + 1));

  console.log(
    `Each target: ${timing.warmupSeconds} s warm-up, then ${timing.measureSeconds} s with ${connections} connections.`,
  );
  const withKey = await measure(
    "A: GET /api/v1/audit-log/{id} (API key)",
    base,
    rotating(tenants, (t) => ({
      path: `/api/v1/audit-log/${t.entryId}`,
      headers: { authorization: `Bearer ${t.key}` },
    })),
    timing,
  );
  const bare = await measure(
    "B: GET /__bench/audit-log/{id} (bare)",
    base,
    rotating(tenants, (t) => ({ path: `/__bench/audit-log/${t.entryId}?tenantId=${t.tenantId}` })),
    timing,
  );

  console.log("");
  for (const r of [withKey, bare]) console.log(formatResult(r, 42));
  const ratio = withKey.requestsPerSecond / bare.requestsPerSecond;
  console.log(`\nRatio A/B: ${ratio.toFixed(2)} (goal >= ${goal}: ${ratio >= goal ? "met" : "NOT met"})`);
} catch (error) {
  console.error(`Benchmark failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  await worker?.dispose();
}
