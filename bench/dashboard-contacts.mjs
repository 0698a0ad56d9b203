// `npm run bench`, third step (issue 4): how long a person waits, in Chromium, from navigating
// to /contacts until the table shows rows, for a tenant of 100,000 contacts, as a ratio of the
// API call alone (GET /api/v1/contacts for the same first page, from Node). Both are measured
// in the same run, interleaved, so the machine's noise hits them alike.
//
// The API runs as shipped (the bundle under Miniflare), the dashboard as its production build
// under `wrangler pages dev`, pointed at that API over HTTP (as `npm start` does).
import { createRequire } from "node:module";
import path from "node:path";
import { seedTenant } from "./crm-seed.mjs";
import { call, startBenchWorker } from "./harness.mjs";
import {
  chromiumArgs,
  chromiumPath,
  freePort,
  runToEnd,
  startProcess,
  stopProcess,
  waitForUrl,
  webDir,
} from "../apps/web/test/browser/support.mjs";

const { chromium } = createRequire(path.join(webDir, "package.json"))("playwright-core");

const counts = { contacts: 100_000, companies: 20_000, deals: 50_000 };
const warmups = 3;
const rounds = 15;
/** What the contacts page asks for on first load (its default page). */
const firstPagePath = "/api/v1/contacts?limit=50";

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1];

let worker;
let web;
let browser;
try {
  worker = await startBenchWorker("dashboard-bench");
  const db = await worker.mf.getD1Database("DB");
  const apiUrl = worker.base.replace(/\/$/, "");

  const email = `dashboard-bench-${Date.now()}@example.com`;
  const password = "bench-password-123";
  const signup = await call(apiUrl, "POST", "/api/v1/auth/signup", {
    body: { organizationName: "Dashboard bench", name: "Bench Owner", email, password },
    ip: "127.0.2.1",
  });
  const me = await call(apiUrl, "GET", "/api/v1/me", { token: signup.accessToken });
  const pipelines = (await call(apiUrl, "GET", "/api/v1/pipelines", { token: signup.accessToken })).data;
  console.log("Seeding D1: one tenant of 100,000 contacts, 20,000 companies, 50,000 deals...");
  const tenant = { tenantId: signup.tenantId, ownerId: me.user.id };
  await seedTenant(db, { tenant, pipelines, counts, seed: 4242 });
  const { n } = await db
    .prepare("SELECT count(*) AS n FROM contacts WHERE tenant_id = ?")
    .bind(tenant.tenantId)
    .first();
  if (n !== counts.contacts) throw new Error(`${n} contacts seeded, expected ${counts.contacts}`);

  console.log("Building the dashboard (vite build) and serving it with wrangler pages dev...");
  await runToEnd("bench-web-build", "vite", ["build"], { cwd: webDir });
  const [webPort, inspectorPort] = [await freePort(), await freePort()];
  const webUrl = `http://localhost:${webPort}`;
  web = startProcess(
    "bench-web",
    "wrangler",
    [
      "pages",
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(webPort),
      "--inspector-port",
      String(inspectorPort),
      "--binding",
      `API_URL=${apiUrl}`,
      "--show-interactive-dev-session=false",
    ],
    { cwd: webDir },
  );
  await waitForUrl(`${webUrl}/login`, web);

  // A fresh session for the measurement (the seed took a while; access tokens are short-lived).
  const session = await call(apiUrl, "POST", "/api/v1/auth/login", {
    body: { email, password },
    ip: "127.0.2.1",
  });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addCookies([
    {
      name: "crm_session",
      value: encodeURIComponent(
        JSON.stringify({ accessToken: session.accessToken, refreshToken: session.refreshToken }),
      ),
      url: webUrl,
      httpOnly: true,
      sameSite: "Lax",
    },
  ]);
  const page = await context.newPage();

  /** Navigation start → the first row of the contacts table is visible (server-rendered data). */
  async function pageLoad() {
    const started = performance.now();
    await page.goto(`${webUrl}/contacts`, { waitUntil: "commit" });
    await page.locator("table tbody tr").first().waitFor({ state: "visible", timeout: 30_000 });
    const ms = performance.now() - started;
    const rows = await page.locator("table tbody tr").count();
    if (rows < 50) throw new Error(`The contacts table shows ${rows} rows, expected a page of 50`);
    return ms;
  }

  /** The API call alone, as an integrator makes it: request sent → whole body read. */
  async function apiCall() {
    const started = performance.now();
    const response = await fetch(`${apiUrl}${firstPagePath}`, {
      headers: { authorization: `Bearer ${session.accessToken}`, accept: "application/json" },
    });
    const body = await response.json();
    const ms = performance.now() - started;
    if (response.status !== 200 || body.data.length !== 50) throw new Error(`GET ${firstPagePath}: ${response.status}`);
    return ms;
  }

  for (let i = 0; i < warmups; i++) {
    await pageLoad();
    await apiCall();
  }
  const pageTimes = [];
  const apiTimes = [];
  for (let i = 0; i < rounds; i++) {
    pageTimes.push(await pageLoad());
    apiTimes.push(await apiCall());
  }
  const pageMedian = median(pageTimes);
  const apiMedian = median(apiTimes);
  console.log(
    `\nContacts table in Chromium, tenant of ${counts.contacts.toLocaleString("en")} contacts (${rounds} rounds):`,
  );
  console.log(
    `  navigation → table rows visible   p50 ${pageMedian.toFixed(1)} ms   p90 ${percentile(pageTimes, 90).toFixed(1)} ms`,
  );
  console.log(
    `  API call alone (${firstPagePath})   p50 ${apiMedian.toFixed(1)} ms   p90 ${percentile(apiTimes, 90).toFixed(1)} ms`,
  );
  console.log(`  ratio page / API call (p50)       ${(pageMedian / apiMedian).toFixed(2)}x`);
} finally {
  await browser?.close().catch(() => {});
  if (web) await stopProcess(web);
  await worker?.dispose();
}
