// What both benchmarks share: the Worker bundle under Miniflare's Node API (workerd itself
// on 127.0.0.1, no `wrangler dev` proxy in front) with BENCH_ROUTES set, API calls, and
// autocannon runs that fail loudly on any non-2xx answer.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { bundleWorker, tempDir, tool } from "../scripts/lib.mjs";
import { startBundledWorker } from "../scripts/worker-runtime.mjs";

export const connections = 50;

/**
 * Bundles the Worker as it ships, applies the migrations to a fresh local D1 and starts it.
 * `dispose()` stops workerd and removes the scratch directory. With `keepStateIn` (a
 * directory), D1 lives there and is kept: a later run applies only the migrations added
 * since and reuses the data (the secrets are kept beside it, so stored keys still work).
 */
export async function startBenchWorker(label, { keepStateIn } = {}) {
  const scratch = tempDir(label);
  const bundleDir = path.join(scratch, "bundle");
  const persistDir = keepStateIn ? path.join(keepStateIn, "d1") : path.join(scratch, "state");
  const cleanup = () => rmSync(scratch, { recursive: true, force: true });
  const secrets = keepStateIn ? keptSecrets(keepStateIn) : newSecrets();
  try {
    console.log("Bundling the Worker (wrangler deploy --dry-run)...");
    if ((await bundleWorker(bundleDir)) !== 0) throw new Error("Bundling failed");
    console.log(
      keepStateIn
        ? `Applying new D1 migrations to the kept database in ${keepStateIn}...`
        : "Applying D1 migrations to a fresh local database...",
    );
    const migrated = await tool(
      "wrangler",
      ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir],
      {
        stdio: ["ignore", "ignore", "inherit"],
        env: { CI: "true" },
      },
    );
    if (migrated !== 0) throw new Error("wrangler d1 migrations apply failed");
    const worker = await startBundledWorker({
      bundleDir,
      persistDir,
      bindings: { ...secrets, BENCH_ROUTES: "true" },
    });
    return {
      base: worker.url.href,
      mf: worker.mf,
      dispose: async () => {
        await worker.dispose();
        cleanup();
      },
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}

function newSecrets() {
  return { JWT_SECRET: randomBytes(32).toString("base64url"), SECRETS_KEY: randomBytes(32).toString("base64url") };
}

/** The secrets of a kept state directory, made on its first use. */
function keptSecrets(dir) {
  const file = path.join(dir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  mkdirSync(dir, { recursive: true });
  const secrets = newSecrets();
  writeFileSync(file, JSON.stringify(secrets));
  return secrets;
}

/** One API call; anything but 2xx throws with the problem the API answered. */
export async function call(base, method, route, { token, body, ip } = {}) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (ip) headers["cf-connecting-ip"] = ip;
  const response = await fetch(new URL(route, base), { method, headers, body: body && JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A new organization through the API: its id, its owner's user id and access token. */
export async function signUp(base, label, index) {
  const email = `${label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${index}-${randomBytes(4).toString("hex")}@example.com`;
  const session = await call(base, "POST", "/api/v1/auth/signup", {
    body: { organizationName: `${label} ${index}`, name: "Bench Owner", email, password: "bench-password-123" },
    ip: `127.0.1.${index}`,
  });
  const me = await call(base, "GET", "/api/v1/me", { token: session.accessToken });
  return { tenantId: session.tenantId, ownerId: me.user.id, accessToken: session.accessToken };
}

/** Round-robin over `items`, one request at a time (autocannon's setupRequest). */
export function rotating(items, toRequest) {
  let next = 0;
  return (request) => ({ ...request, ...toRequest(items[next++ % items.length]) });
}

function load(base, setupRequest, seconds, connectionCount) {
  return autocannon({
    url: base,
    connections: connectionCount,
    duration: seconds,
    requests: [{ method: "GET", setupRequest }],
  });
}

/**
 * Waits until the Worker has finished the requests autocannon abandoned at the end of a run
 * (it stops waiting, workerd does not stop working): until GET /health answers fast three
 * times in a row, for at most a minute. Otherwise a slow target's backlog lands in the next
 * target's figures.
 */
async function drain(base) {
  let fast = 0;
  const deadline = Date.now() + 60_000;
  while (fast < 3 && Date.now() < deadline) {
    const started = performance.now();
    await (await fetch(new URL("/health", base))).arrayBuffer();
    fast = performance.now() - started < 25 ? fast + 1 : 0;
  }
}

function checked(label, result) {
  const failures = result.non2xx + result.errors + result.timeouts;
  if (failures > 0) {
    throw new Error(`${label}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return result;
}

/** A warm-up, then the measured run; any non-2xx answer, error or timeout fails the benchmark. */
export async function measure(
  label,
  base,
  setupRequest,
  { warmupSeconds, measureSeconds, connectionCount = connections },
) {
  await load(base, setupRequest, warmupSeconds, connectionCount);
  await drain(base);
  const result = checked(label, await load(base, setupRequest, measureSeconds, connectionCount));
  await drain(base);
  return {
    label,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
  };
}

const mean = (values) => values.reduce((sum, v) => sum + v, 0) / values.length;

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const ticksPerSecond = 100;

/**
 * CPU time (ms) the workerd processes this one started have used so far, from /proc; null
 * where there is no /proc. On a machine others share, requests per second fall with their
 * load, while the CPU time one request costs stays put: both are printed.
 */
function workerCpuMs() {
  let total = 0;
  let found = false;
  let entries;
  try {
    entries = readdirSync("/proc");
  } catch {
    return null;
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // fields[1] is the parent pid; [11] and [12] are user and system time.
      if (name !== "workerd" || Number(fields[1]) !== process.pid) continue;
      total += Number(fields[11]) + Number(fields[12]);
      found = true;
    } catch {
      // The process ended while being read.
    }
  }
  return found ? (total * 1000) / ticksPerSecond : null;
}

/**
 * Every target in turn, `rounds` times for `roundSeconds` (with a warm-up before a target's
 * first round), so that the machine's drift over the run touches every target alike rather
 * than whichever ran last. Requests per second and p50 are the rounds' mean, p99 the worst.
 * `targets` is `{ key: { label, setupRequest } }`; the result has the same keys.
 */
export async function measureInRounds(base, targets, { warmupSeconds, roundSeconds, rounds }) {
  const runs = Object.fromEntries(Object.keys(targets).map((key) => [key, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [key, { label, setupRequest }] of Object.entries(targets)) {
      if (round === 0) {
        await load(base, setupRequest, warmupSeconds, connections);
        await drain(base);
      }
      const cpuBefore = workerCpuMs();
      const result = checked(label, await load(base, setupRequest, roundSeconds, connections));
      // After the drain: the requests autocannon abandoned at the end are paid for too.
      await drain(base);
      const cpuAfter = workerCpuMs();
      runs[key].push({ ...result, cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore });
    }
  }
  return Object.fromEntries(
    Object.entries(targets).map(([key, { label }]) => {
      const results = runs[key];
      return [
        key,
        {
          label,
          requestsPerSecond: mean(results.map((r) => r.requests.average)),
          p50: Math.round(mean(results.map((r) => r.latency.p50))),
          p99: Math.max(...results.map((r) => r.latency.p99)),
          total: results.reduce((sum, r) => sum + r.requests.total, 0),
          cpuMsPerRequest: results.some((r) => r.cpuMs === null)
            ? null
            : results.reduce((sum, r) => sum + r.cpuMs, 0) / results.reduce((sum, r) => sum + r.requests.total, 0),
        },
      ];
    }),
  );
}

export function formatResult(r, width = 50) {
  const cpu = r.cpuMsPerRequest == null ? "" : `   ${r.cpuMsPerRequest.toFixed(2)} CPU ms/request`;
  return `${r.label.padEnd(width)} ${r.requestsPerSecond.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   (${r.total} requests)${cpu}`;
}
