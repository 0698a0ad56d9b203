// `npm start`: installs what is missing, applies the D1 migrations locally, starts the API
// under `wrangler dev` and the dashboard, seeds a demo tenant through the API and prints
// where everything is. Ctrl-C (or SIGTERM) stops every process it started.
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  ensureInstalled,
  hasWebApp,
  prepareAssets,
  root,
  startGroup,
  stopGroups,
  tempDir,
  tool,
  waitForUrl,
  watchJobLeader,
} from "./lib.mjs";

const apiPort = 8787;
const webPort = 5173;
const apiUrl = `http://127.0.0.1:${apiPort}`;
const webUrl = `http://localhost:${webPort}`;
const demo = {
  organizationName: "Demo Company",
  name: "Demo Owner",
  email: "demo@example.com",
  // Documented in README.md: a local-only account on a local-only database.
  password: "crm-demo-password",
};
const demoKeyFile = path.join(root, ".wrangler", "demo-key.txt");

/** Worker secrets for `wrangler dev`: random keys on first start, never committed. */
function ensureDevVars() {
  const file = path.join(root, ".dev.vars");
  let current = existsSync(file) ? readFileSync(file, "utf8") : "";
  // JWT_SECRET signs access tokens; SECRETS_KEY seals mailbox credentials and signs tracking links.
  for (const name of ["JWT_SECRET", "SECRETS_KEY"]) {
    if (new RegExp(`^${name}=`, "m").test(current)) continue;
    const line = `${name}=${randomBytes(32).toString("base64url")}\n`;
    appendFileSync(file, (current && !current.endsWith("\n") ? "\n" : "") + line);
    current = readFileSync(file, "utf8");
    console.log(`Wrote a new random ${name} to .dev.vars`);
  }
}

async function call(method, route, { token, body } = {}) {
  const headers = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${apiUrl}${route}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

function fail(what, response) {
  throw new Error(`${what} failed with ${response.status}: ${JSON.stringify(response.body)}`);
}

/** Logs the demo owner in, signing the tenant up first if this database has never seen it. */
async function demoSession() {
  const login = await call("POST", "/api/v1/auth/login", { body: { email: demo.email, password: demo.password } });
  if (login.status === 200) return login.body;
  if (login.status !== 401) fail("Logging in as the demo owner", login);
  const signup = await call("POST", "/api/v1/auth/signup", { body: demo });
  if (signup.status === 201) {
    console.log(`Signed up "${demo.organizationName}" with owner ${demo.email}`);
    await seedDemoRecords(signup.body);
    return signup.body;
  }
  if (signup.status === 409) {
    throw new Error(
      `${demo.email} exists with another password; delete .wrangler/state to start from an empty database`,
    );
  }
  fail("Signing up the demo tenant", signup);
}

/**
 * Fills a newly signed-up demo tenant with records built from data/demo (scripts/demo-data.mjs),
 * into the Sales pipeline that sign-up created. Runs once: later starts log in instead.
 */
async function seedDemoRecords(session) {
  const pipelines = await call("GET", "/api/v1/pipelines?limit=100", { token: session.accessToken });
  if (pipelines.status !== 200) fail("Listing the demo tenant's pipelines", pipelines);
  const sales = pipelines.body.data.find((p) => p.name === "Sales");
  if (!sales) throw new Error("Sign-up did not create the Sales pipeline");
  const stages = Object.fromEntries(
    sales.stages.map((stage) => [stage.name, { id: stage.id, probability: stage.probability }]),
  );
  const { buildDemoSql } = await import("./demo-data.mjs");
  const { sql, counts } = buildDemoSql({ tenantId: session.tenantId, pipelineId: sales.id, stages });
  const dir = tempDir("demo");
  const file = path.join(dir, "demo.sql");
  writeFileSync(file, sql);
  const code = await tool("wrangler", ["d1", "execute", "DB", "--local", "--file", file], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { CI: "true" },
  });
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0) throw new Error("wrangler d1 execute failed while seeding the demo records");
  const summary = Object.entries(counts).map(([what, n]) => `${n} ${what}`);
  console.log(`Seeded the demo tenant from data/demo: ${summary.join(", ")}`);
  // The demo shows the pipeline agent's suggestions (new organizations start with it off).
  const agent = await call("PATCH", "/api/v1/ai/settings", {
    token: session.accessToken,
    body: { agent: { mode: "suggest" } },
  });
  if (agent.status !== 200) fail("Setting the demo tenant's pipeline agent to suggest", agent);
  await trainDemoLeadScoring(session);
}

/**
 * Trains the demo tenant's lead-score model on its contacts' won and lost deals, when there are
 * enough, and rescores every contact and lead (a queued job), so the AI page and lead list open on real scores.
 */
async function trainDemoLeadScoring(session) {
  const token = session.accessToken;
  const model = await call("POST", "/api/v1/ai/models", {
    token,
    body: { kind: "lead_score", label: { source: "deals" } },
  });
  if (model.status === 201) {
    const auc = model.body.metrics.holdoutAuc;
    console.log(
      `Trained the demo lead-score model on ${model.body.metrics.labelledRows} contacts with closed deals` +
        (auc === null ? "" : ` (holdout AUC ${auc.toFixed(3)})`),
    );
  } else {
    // Without a model the scores are the rule components alone (engagement, recency, fit, ...).
    console.log(`Lead scores from rules only: ${model.body?.detail ?? `status ${model.status}`}`);
  }
  const rescore = await call("POST", "/api/v1/ai/rescore", { token, body: { kind: "lead_score" } });
  if (rescore.status >= 300)
    console.log(`Rescoring not started: ${rescore.body?.detail ?? `status ${rescore.status}`}`);
}

/** Every scope an API key can have, as /openapi.json lists them. */
async function allScopes() {
  const document = await call("GET", "/openapi.json");
  const scopes = document.body?.components?.schemas?.CreateApiKeyRequest?.properties?.scopes?.items?.enum;
  if (!Array.isArray(scopes) || scopes.length === 0) throw new Error("/openapi.json does not list the API key scopes");
  return scopes;
}

/** The stored demo key if it still exists unrevoked with every scope, else a new one. */
async function demoApiKey(session) {
  const scopes = await allScopes();
  if (existsSync(demoKeyFile)) {
    const stored = readFileSync(demoKeyFile, "utf8").trim();
    const keys = await call("GET", "/api/v1/api-keys?limit=100", { token: session.accessToken });
    if (keys.status !== 200) fail("Listing API keys", keys);
    const match = keys.body.data.find((k) => stored.startsWith(k.prefix) && !k.revokedAt);
    const expired = match?.expiresAt && Date.parse(match.expiresAt) <= Date.now();
    if (match && !expired && scopes.every((s) => match.scopes.includes(s))) {
      const probe = await call("GET", "/api/v1/audit-log?limit=1", { token: stored });
      if (probe.status === 200) return stored;
    }
  }
  const created = await call("POST", "/api/v1/api-keys", {
    token: session.accessToken,
    body: { name: "Demo key (npm start)", scopes },
  });
  if (created.status !== 201) fail("Creating the demo API key", created);
  mkdirSync(path.dirname(demoKeyFile), { recursive: true });
  writeFileSync(demoKeyFile, `${created.body.key}\n`, { mode: 0o600 });
  console.log("Created a demo API key with every scope");
  return created.body.key;
}

const children = [];
let stopping = false;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping...");
  const survivors = await stopGroups(children);
  if (survivors.length > 0) {
    console.error(`Processes still running after SIGKILL: ${survivors.join(", ")}`);
    process.exit(1);
  }
  console.log("Stopped every process npm start started.");
  process.exit(code);
}

process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));
process.on("SIGHUP", () => stopAll(0));
watchJobLeader(() => stopAll(0));

async function main() {
  ensureInstalled();
  prepareAssets();
  ensureDevVars();

  console.log("Applying D1 migrations to the local database...");
  const migrated = await tool("wrangler", ["d1", "migrations", "apply", "DB", "--local"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { CI: "true" },
  });
  if (migrated !== 0) throw new Error("wrangler d1 migrations apply failed");

  // stdin is ignored: a background process group reading the terminal would be stopped,
  // and wrangler's key shortcuts would swallow Ctrl-C.
  const api = startGroup(
    "api",
    path.join(root, "node_modules", ".bin", "wrangler"),
    [
      "dev",
      "--local",
      "--ip",
      "127.0.0.1",
      "--port",
      String(apiPort),
      "--test-scheduled",
      "--show-interactive-dev-session=false",
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  children.push(api);
  watch(api);
  if (!(await waitForUrl(`${apiUrl}/health`, { timeoutMs: 120_000, child: api })))
    throw new Error(`The API did not answer at ${apiUrl}/health`);

  const session = await demoSession();
  const apiKey = await demoApiKey(session);

  let dashboard = null;
  if (hasWebApp()) {
    // By default the dashboard's production build, served as Cloudflare Pages serves it
    // (`wrangler pages dev`); `npm start -- --dev` runs `vite dev` instead, for editing it.
    const viteDev = process.argv.includes("--dev");
    if (!viteDev) {
      console.log("Building the dashboard (vite build)...");
      const built = await tool("pnpm", ["--filter", "@crm/web", "run", "build"], {
        stdio: ["ignore", "ignore", "inherit"],
      });
      if (built !== 0)
        throw new Error("The dashboard build failed (run `npx pnpm --filter @crm/web build` to see why)");
    }
    dashboard = viteDev
      ? startGroup(
          "dashboard",
          path.join(root, "node_modules", ".bin", "pnpm"),
          ["--filter", "@crm/web", "run", "dev"],
          {
            stdio: ["ignore", "inherit", "inherit"],
            env: { API_URL: apiUrl },
          },
        )
      : startGroup(
          "dashboard",
          path.join(root, "node_modules", ".bin", "wrangler"),
          [
            "pages",
            "dev",
            "--ip",
            "127.0.0.1",
            "--port",
            String(webPort),
            "--inspector-port",
            "9230",
            "--binding",
            `API_URL=${apiUrl}`,
            "--show-interactive-dev-session=false",
          ],
          { cwd: path.join(root, "apps", "web"), stdio: ["ignore", "inherit", "inherit"] },
        );
    children.push(dashboard);
    watch(dashboard);
    if (!(await waitForUrl(`${webUrl}/login`, { timeoutMs: 120_000, child: dashboard })))
      throw new Error(`The dashboard did not answer at ${webUrl}`);
  }

  const lines = [
    `API:        ${apiUrl}  (health: /health, OpenAPI: /openapi.json)`,
    `API docs:   ${apiUrl}/docs`,
    dashboard ? `Dashboard:  ${webUrl}` : "Dashboard:  (apps/web has no package.json yet)",
    `Sign in:    ${demo.email} / ${demo.password}  ("${demo.organizationName}", owner)`,
    `API key:    ${apiKey}  (every scope; also in .wrangler/demo-key.txt)`,
    `Try:        curl -H "Authorization: Bearer ${apiKey}" ${apiUrl}/api/v1/audit-log`,
    "Press Ctrl-C to stop everything.",
  ];
  const width = Math.max(...lines.map((l) => l.length));
  console.log(`\n${"─".repeat(width)}\n${lines.join("\n")}\n${"─".repeat(width)}\n`);
}

/** If a child dies on its own, stop the rest: a half-running stack is not useful. */
function watch(child) {
  child.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`\n${child.label} exited (${signal ?? `code ${code}`}); stopping the rest.`);
    stopAll(1);
  });
}

main().catch((error) => {
  console.error(`\nnpm start failed: ${error.message}`);
  stopAll(1);
});
