// The forecasts page in Chromium, against the real API under `wrangler dev` and the production
// build under `wrangler pages dev`: a revenue history (won deals backdated in the local D1) with
// an open deal, the chart, table and "why"; the metric picker; an empty state; an API refusal
// shown on the page; a second organization seeing none of it; 375px, dark mode, axe, JS budget.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import {
  chromiumArgs,
  chromiumPath,
  executeLocalD1,
  firstLoadJs,
  requestJson,
  saveScreenshot,
  signInWithSession,
  startStack,
  useColorScheme,
  sidewaysOverflowAt,
} from "./support.mjs";

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const password = "correct horse battery staple";
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const firstLoadBudgetBytes = 100 * 1024;

/** Won revenue per month, oldest first, ending last month; the sixth is a spike. */
const wonValues = [1000, 1100, 1050, 1150, 1100, 9000, 1150, 1200, 1250, 1200];

let stack;
let browser;
let context;
let page;
let owner;
let stranger;
const pageErrors = [];

const api = (method, pathname, { token = owner?.accessToken, body } = {}) =>
  requestJson(stack.apiUrl, method, pathname, { token, body });

async function ok(method, pathname, options) {
  const result = await api(method, pathname, options);
  assert.ok(result.status === 200 || result.status === 201, `${method} ${pathname}: ${JSON.stringify(result.body)}`);
  return result.body;
}

async function signUp(organizationName, email) {
  const session = await ok("POST", "/api/v1/auth/signup", {
    body: { organizationName, name: "Forecast Person", email, password },
  });
  return { accessToken: session.accessToken, refreshToken: session.refreshToken };
}

const signInBrowser = (ctx, session) => signInWithSession(ctx, stack.webUrl, session);

/** SQL against the API's local D1 (the same files `wrangler dev` serves): the API stamps closings with now. */
const d1 = (sql) => executeLocalD1(stack, sql, "forecasts-d1");

const screenshot = (target, name) => saveScreenshot(target, `ai-forecasts-${name}`);

const url = (pathname) => `${stack.webUrl}${pathname}`;
const now = new Date();
const monthStart = (offset) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
const label = (offset) => monthStart(offset).toISOString().slice(0, 7);
const dollars = (value) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 }).format(
    Math.round(value),
  );

before(
  async () => {
    stack = await startStack();
    owner = await signUp(`Forecasts ${run}`, `forecasts.${run}@example.com`);
    stranger = await signUp(`Elsewhere ${run}`, `elsewhere.${run}@example.com`);
    const pipelines = await ok("GET", "/api/v1/pipelines");
    const sales = pipelines.data.find((p) => p.name === "Sales");
    const stage = (name) => sales.stages.find((s) => s.name === name).id;
    const updates = [];
    for (const [i, value] of wonValues.entries()) {
      const deal = await ok("POST", "/api/v1/deals", { body: { name: `Won ${i}`, value } });
      await ok("POST", `/api/v1/deals/${deal.id}/move-stage`, { body: { stageId: stage("Won") } });
      const closedAt = monthStart(i - wonValues.length).getTime() + 14 * 86_400_000;
      updates.push(`when '${deal.id}' then ${closedAt}`);
    }
    await d1(`update deals set closed_at = case id ${updates.join(" ")} end where name like 'Won %'`);
    await ok("POST", "/api/v1/deals", {
      body: { name: "Open", value: 20_000, stageId: stage("Negotiating"), expectedCloseDate: `${label(0)}-20` },
    });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await signInBrowser(context, owner);
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(`${page.url()}: ${message.text()}`);
    });
  },
  { timeout: 300_000 },
);

after(async () => {
  await browser?.close().catch(() => {});
  await stack?.stop();
});

test("the revenue forecast shows the history's chart, the forecast with its intervals, the anomaly and why", async () => {
  const expected = await ok("GET", "/api/v1/ai/forecasts/revenue?period=month&horizon=6");
  assert.deepEqual(
    expected.history.map((p) => p.value),
    wonValues,
  );
  assert.equal(expected.forecast.length, 6);
  assert.equal(expected.pipeline.openDeals, 1);

  await page.goto(url("/ai/forecasts"));
  assert.equal(await page.getByLabel("Metric", { exact: true }).inputValue(), "revenue");
  assert.equal(await page.getByLabel("Period", { exact: true }).inputValue(), "month");
  assert.equal(await page.getByTestId("next-value").textContent(), dollars(expected.forecast[0].value));
  const rows = page.getByTestId("forecast-table").locator("tbody tr");
  assert.equal(await rows.count(), 6);
  assert.deepEqual(
    (await rows.locator("th").allTextContents()).map((t) => t.trim()),
    expected.forecast.map((p) => p.label),
  );
  const firstRow = (await rows.first().locator("td").allTextContents()).map((t) => t.trim());
  assert.deepEqual(firstRow, [
    dollars(expected.forecast[0].value),
    `${dollars(expected.forecast[0].lower80)} – ${dollars(expected.forecast[0].upper80)}`,
    `${dollars(expected.forecast[0].lower95)} – ${dollars(expected.forecast[0].upper95)}`,
  ]);
  assert.equal(await page.getByTestId("explanation").textContent(), expected.explanation);
  assert.equal(
    await page.getByTestId("engine").textContent(),
    `Built-in engine · model ${expected.engine.model} · version ${expected.engine.version}`,
  );
  assert.equal(
    await page
      .getByTestId("trend")
      .textContent()
      .then((t) => t.trim()),
    { up: "Up", down: "Down", flat: "Flat" }[expected.trend.direction],
  );
  // The spike month is flagged, listed with what the model expected, and drawn as a dot.
  assert.deepEqual(
    expected.anomalies.map((a) => a.label),
    [label(5 - wonValues.length)],
  );
  assert.deepEqual(
    (await page.getByTestId("anomalies").locator("li").allTextContents()).map((t) => t.trim()),
    expected.anomalies.map((a) => `${a.label}: ${dollars(a.value)} against ${dollars(a.expected)} expected (z ${a.z})`),
  );
  const chart = page.getByRole("img", { name: /^Revenue: 10 months of history/ });
  await chart.locator("svg path").first().waitFor();
  assert.ok((await chart.locator("svg path").count()) >= 4, "history, forecast and the two bands are drawn");
  await screenshot(page, "revenue");
  assert.deepEqual(pageErrors, []);
});

test("the metric picker switches forecasts, and a metric without history says what to do", async () => {
  await page.goto(url("/ai/forecasts"));
  await page.getByLabel("Metric", { exact: true }).selectOption("contact-growth");
  await page.waitForURL(/metric=contact-growth/);
  await page.getByText("Not enough history to forecast contact growth yet", { exact: true }).waitFor();
  const expected = await ok("GET", "/api/v1/ai/forecasts/contact-growth?period=month&horizon=6");
  assert.deepEqual(expected.forecast, []);
  assert.ok(await page.getByText(expected.explanation, { exact: true }).first().isVisible());
  assert.ok(await page.getByRole("link", { name: "Import past records" }).isVisible());
  assert.equal(await page.getByLabel("Pipeline", { exact: true }).count(), 0, "no pipeline picker for contacts");
  await screenshot(page, "empty");
});

test("a refused request shows the API's reason on the page", async () => {
  await page.goto(url("/ai/forecasts?metric=revenue&horizon=99"));
  const alert = page.getByRole("alert").filter({ hasText: "The forecast could not be made" });
  await alert.waitFor();
  const refusal = await api("GET", "/api/v1/ai/forecasts/revenue?period=month&horizon=99");
  assert.equal(refusal.status, 422);
  assert.ok((await alert.textContent()).includes(refusal.body.detail));
  assert.ok((await alert.textContent()).includes("query.horizon"));
});

test("another organization sees none of the first one's deals", async () => {
  const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await signInBrowser(other, stranger);
    const target = await other.newPage();
    await target.goto(url("/ai/forecasts"));
    await target.getByText("Not enough history to forecast revenue yet", { exact: true }).waitFor();
    const theirs = await ok("GET", "/api/v1/ai/forecasts/revenue", { token: stranger.accessToken });
    assert.deepEqual(theirs.history, []);
    assert.equal(theirs.pipeline.openDeals, 0);
    assert.ok(await target.getByText(theirs.explanation, { exact: true }).first().isVisible());
    assert.equal(await target.getByTestId("forecast-table").count(), 0);
  } finally {
    await other.close();
  }
});

async function seriousAxeViolations(target) {
  await target.evaluate(axeSource);
  const violations = await target.evaluate(
    async () => (await globalThis.axe.run(document.querySelector("main"))).violations,
  );
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

test("fits 375px in light and dark, with no serious axe findings and first-load JS under 100 KB", async (t) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto(url("/ai/forecasts"));
  await page
    .getByRole("img", { name: /^Revenue:/ })
    .locator("svg path")
    .first()
    .waitFor();
  for (const scheme of ["light", "dark"]) {
    await useColorScheme(page, scheme);
    const { overflow, culprits } = await sidewaysOverflowAt(page, 375);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 375px (${scheme}): ${culprits.join("; ")}`);
    assert.deepEqual(await seriousAxeViolations(page), [], `${scheme} mode`);
    await screenshot(page, `narrow-${scheme}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  const firstLoad = firstLoadJs(["+layout.svelte", "(app)/+layout.svelte", "(app)/ai/forecasts/+page.svelte"]);
  t.diagnostic(
    `JS of /ai/forecasts: first load ${firstLoad.files} files, ${(firstLoad.gzipBytes / 1024).toFixed(1)} KB gzipped`,
  );
  assert.ok(firstLoad.roots >= 5, "the page and its layouts are in the manifest");
  assert.ok(firstLoad.gzipBytes < firstLoadBudgetBytes, `${firstLoad.gzipBytes} bytes gzipped`);
});
