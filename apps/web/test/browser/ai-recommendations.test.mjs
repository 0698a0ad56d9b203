// The recommendations inbox in Chromium against the real API (`wrangler dev`) and the production
// build: an empty inbox that says what to do, "Refresh now" deciding the organization's records
// (two contacts with overdue tasks), the cards in priority order with why (explanation, top
// factors, engine), accept and mark done through the life cycle, the API's refusal shown on the
// card when someone else already dismissed it, a second organization seeing none of it, and axe
// (light and dark), 375 px and the first-load JS budget.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import {
  chromiumArgs,
  chromiumPath,
  firstLoadJs,
  requestJson,
  saveScreenshot,
  signInWithSession,
  startStack,
  useColorScheme,
  sidewaysScrollProblem,
} from "./support.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const firstLoadBudgetBytes = 100 * 1024;
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const password = "correct horse battery staple";
const dayMs = 86_400_000;

let stack;
let browser;
let context;
let page;
let owner;
let stranger;
const ids = {};
const pageErrors = [];

const api = (method, pathname, { token = owner?.accessToken, body } = {}) =>
  requestJson(stack.apiUrl, method, pathname, { token, body });

async function signUp(organizationName, name, email) {
  const session = await api("POST", "/api/v1/auth/signup", { body: { organizationName, name, email, password } });
  assert.equal(session.status, 201, JSON.stringify(session.body));
  return {
    accessToken: session.body.accessToken,
    refreshToken: session.body.refreshToken,
    tenantId: session.body.tenantId,
  };
}

const signInBrowser = (ctx, session) => signInWithSession(ctx, stack.webUrl, session);

/** A contact with `overdue` open tasks, the oldest due `days` days ago. */
async function contactWithOverdueTasks(firstName, lastName, overdue, days) {
  const contact = await api("POST", "/api/v1/contacts", { body: { firstName, lastName } });
  assert.equal(contact.status, 201, JSON.stringify(contact.body));
  for (let i = 0; i < overdue; i++) {
    const task = await api("POST", "/api/v1/tasks", {
      body: {
        title: `Call back ${i + 1}`,
        dueAt: new Date(Date.now() - (days - i) * dayMs).toISOString(),
        recordType: "contact",
        recordId: contact.body.id,
      },
    });
    assert.equal(task.status, 201, JSON.stringify(task.body));
  }
  return contact.body.id;
}

const screenshot = (target, name) => saveScreenshot(target, `ai-recommendations-${name}`);

const url = (pathname) => `${stack.webUrl}${pathname}`;
const cards = () => page.getByTestId("recommendation");
const card = (name) => cards().filter({ has: page.getByRole("link", { name }) });

before(
  async () => {
    stack = await startStack();
    [owner, stranger] = await Promise.all([
      signUp(`Advice Co ${run}`, "Olive Owner", `olive.${run}@example.com`),
      signUp(`Other Org ${run}`, "Sam Stranger", `sam.${run}@example.com`),
    ]);
    browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await signInBrowser(context, owner);
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on("console", (message) => {
      // The refused move (422) is expected; the browser logs every 4xx fetch.
      const refused = /^Failed to load resource: the server responded with a status of 422 /.test(message.text());
      if (message.type() === "error" && !refused) pageErrors.push(`${page.url()}: ${message.text()}`);
    });
  },
  { timeout: 600_000 },
);

after(async () => {
  await browser?.close().catch(() => {});
  await stack?.stop();
});

test("an empty inbox says what to do; Refresh now decides the records and lists them by priority, with why", async () => {
  await page.goto(url("/ai/recommendations"), { waitUntil: "networkidle" });
  await page.getByRole("heading", { name: "Recommendations", level: 1 }).waitFor();
  await page.getByText("No recommendations waiting", { exact: true }).waitFor();
  await screenshot(page, "empty");

  ids.ada = await contactWithOverdueTasks("Ada", `Lovelace${run}`, 1, 3);
  ids.alan = await contactWithOverdueTasks("Alan", `Turing${run}`, 2, 4);
  await page.getByRole("button", { name: "Refresh now" }).click();
  await page.getByText("Decided 2 records: 2 new, 0 changed, 0 removed; 2 pending.", { exact: true }).waitFor();
  await cards().nth(1).waitFor();

  const titles = (await cards().getByRole("heading", { level: 2 }).allTextContents()).map((t) => t.trim());
  assert.deepEqual(titles, [
    `Complete the overdue task: Alan Turing${run}`,
    `Complete the overdue task: Ada Lovelace${run}`,
  ]);
  const alan = card(`Complete the overdue task: Alan Turing${run}`);
  assert.equal(
    await alan.getByRole("link").getAttribute("href"),
    `/contacts/${ids.alan}`,
    "the title links to the record",
  );
  await alan.getByText("Priority 75", { exact: true }).waitFor();
  await alan.getByText("Pending", { exact: true }).waitFor();
  const meta = (await alan.getByTestId("recommendation-meta").textContent()).replace(/\s+/g, " ").trim();
  assert.match(meta, /^Contact · Complete overdue task · Confidence 95% · Due .+ · Expires .+$/);
  assert.equal(
    (await alan.getByTestId("recommendation-why").textContent()).replace(/\s+/g, " ").trim(),
    "Why: 2 tasks are overdue. Priority 75.",
  );
  const factors = (await alan.getByTestId("recommendation-factor").allTextContents()).map((t) =>
    t.replace(/\s+/g, " ").trim(),
  );
  assert.deepEqual(factors, ["+72 overdue task (2)", "+3 more overdue tasks (1)"]);
  await alan.getByText("Decided by the built-in engine: next-best-action-rules v1", { exact: true }).waitFor();
  await screenshot(page, "inbox");
});

test("accept, then mark done: the card leaves the pending inbox and moves through the filters", async () => {
  const title = `Complete the overdue task: Alan Turing${run}`;
  await card(title)
    .getByRole("button", { name: `Accept: ${title}` })
    .click();
  await page.getByText(`Accepted: ${title}`, { exact: true }).waitFor();
  await card(title).waitFor({ state: "detached" });
  assert.equal(await cards().count(), 1);

  await page.getByLabel("Status", { exact: true }).selectOption("accepted");
  await page.waitForURL(url("/ai/recommendations?status=accepted"));
  await card(title).getByText("Accepted", { exact: true }).waitFor();
  await card(title)
    .getByRole("button", { name: `Mark done: ${title}` })
    .click();
  await page.getByText(`Completed: ${title}`, { exact: true }).waitFor();
  await page.getByText("No accepted recommendations", { exact: true }).waitFor();

  const listed = await api("GET", `/api/v1/ai/recommendations?recordId=${ids.alan}`);
  assert.deepEqual(
    listed.body.data.map((r) => [r.status, r.viewedAt !== null, r.acceptedAt !== null, r.completedAt !== null]),
    [["completed", true, true, true]],
  );
});

test("a recommendation someone else already dismissed: the API's refusal shows on its card", async () => {
  await page.goto(url("/ai/recommendations"), { waitUntil: "networkidle" });
  const title = `Complete the overdue task: Ada Lovelace${run}`;
  await card(title).waitFor();
  const [rec] = (await api("GET", `/api/v1/ai/recommendations?recordId=${ids.ada}`)).body.data;
  for (const status of ["viewed", "dismissed"])
    assert.equal((await api("PATCH", `/api/v1/ai/recommendations/${rec.id}`, { body: { status } })).status, 200);

  await card(title)
    .getByRole("button", { name: `Accept: ${title}` })
    .click();
  await card(title)
    .getByRole("alert")
    .getByText("A dismissed recommendation is final; it cannot become viewed.", { exact: true })
    .waitFor();
  await screenshot(page, "refused");
  await page.getByLabel("Status", { exact: true }).selectOption("dismissed");
  await page.waitForURL(url("/ai/recommendations?status=dismissed"));
  assert.equal(await cards().count(), 1);
  await card(title).getByText("Dismissed", { exact: true }).waitFor();
});

test("another organization sees none of it", async () => {
  const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await signInBrowser(other, stranger);
    const tab = await other.newPage();
    await tab.goto(url("/ai/recommendations?status=all"), { waitUntil: "networkidle" });
    await tab.getByText("No recommendations yet", { exact: true }).waitFor();
    assert.equal(await tab.getByTestId("recommendation").count(), 0);
    assert.equal(await tab.getByText(`Lovelace${run}`).count(), 0);
    assert.equal(await tab.getByText(`Turing${run}`).count(), 0);
    const listed = await api("GET", "/api/v1/ai/recommendations", { token: stranger.accessToken });
    assert.deepEqual(listed.body.data, []);
  } finally {
    await other.close();
  }
});

test("first-load JS under 100 KB gzipped, no serious axe violations (light and dark), fits 375 px", async (t) => {
  const components = ["+layout.svelte", "(app)/+layout.svelte", "(app)/ai/recommendations/+page.svelte"];
  const problems = [];
  const firstLoad = firstLoadJs(components);
  t.diagnostic(`JS: first load ${(firstLoad.gzipBytes / 1024).toFixed(1)} KB gzipped`);
  if (firstLoad.roots < 2 + components.length) problems.push("the page is missing from the manifest");
  if (firstLoad.gzipBytes >= firstLoadBudgetBytes)
    problems.push(`first-load JS ${(firstLoad.gzipBytes / 1024).toFixed(1)} KB gzipped`);
  for (const [name, pathname] of [
    ["all", "/ai/recommendations?status=all"],
    ["empty", "/ai/recommendations"],
  ]) {
    const tab = await context.newPage();
    await tab.setViewportSize({ width: 1280, height: 800 });
    await tab.goto(url(pathname), { waitUntil: "networkidle" });
    await tab.evaluate(axeSource);
    const serious = async () =>
      tab.evaluate(async () => {
        const result = await globalThis.axe.run(document, { resultTypes: ["violations"] });
        return result.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      });
    for (const violation of await serious()) problems.push(`${pathname}: ${violation}`);
    const sideways = await sidewaysScrollProblem(tab, `${pathname}: `);
    if (sideways) problems.push(sideways);
    await screenshot(tab, `${name}-375px`);
    await useColorScheme(tab, "dark");
    for (const violation of await serious()) problems.push(`${pathname} (dark): ${violation}`);
    await screenshot(tab, `${name}-375px-dark`);
    await tab.close();
  }
  assert.deepEqual(problems, []);
});

test("no page logged an error", () => {
  assert.deepEqual(pageErrors, []);
});
