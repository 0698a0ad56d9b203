// The pipeline agent's decision log in the dashboard, in Chromium against the real API
// (`wrangler dev`) and the production build: the agent off (Run now refused by the API, the
// refusal shown), switched to suggest, run on a seeded pipeline (a deal whose contact replied
// interested, a deal due for its follow-up), its decisions with their reasons, inputs and
// engine, the filters, the stuck-deal review, a second organization seeing none of it, and
// axe, 375 px, dark mode and the first-load JS budget.
// The reply and the deals' dates are written to the local D1 (`wrangler d1 execute`): replies
// arrive by email, and "ten days in the stage" cannot be waited for.
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

/** SQL against the API's local D1 (the same files `wrangler dev` serves). */
const d1 = (sql) => executeLocalD1(stack, sql, "ai-agent-d1");

const screenshot = (target, name) => saveScreenshot(target, `ai-agent-${name}`);

const url = (pathname) => `${stack.webUrl}${pathname}`;

async function created(pathname, body) {
  const made = await api("POST", pathname, { body });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  return made.body;
}

/** A contact and its deal in Prospect. */
async function dealWithContact(name) {
  const contact = await created("/api/v1/contacts", {
    firstName: name.split(" ")[0],
    emails: [{ address: `${name.split(" ")[0].toLowerCase()}.${run}@example.com`, primary: true }],
  });
  const deal = await created("/api/v1/deals", {
    name,
    pipelineId: ids.pipeline,
    stageId: ids.prospect,
    contactId: contact.id,
    value: 5000,
  });
  return { contactId: contact.id, dealId: deal.id };
}

before(
  async () => {
    stack = await startStack();
    [owner, stranger] = await Promise.all([
      signUp(`Agent Co ${run}`, "Olive Owner", `olive.${run}@example.com`),
      signUp(`Other Org ${run}`, "Sam Stranger", `sam.${run}@example.com`),
    ]);
    const pipeline = await created("/api/v1/pipelines", {
      name: "Agent pipeline",
      stages: [
        { name: "Prospect", probability: 10, followUpDays: 3, autoActions: ["send_follow_up_email"] },
        { name: "Qualified", probability: 40, followUpDays: 5 },
        { name: "Won", isWon: true },
        { name: "Lost", isLost: true },
      ],
    });
    ids.pipeline = pipeline.id;
    ids.prospect = pipeline.stages[0].id;
    ids.ivy = await dealWithContact("Ivy Interested");
    ids.fay = await dealWithContact("Fay Follow-up");
    const now = Date.now();
    const due = now - 3600_000;
    await d1(
      `update deals set stage_entered_at = ${now - 5 * dayMs}, next_action_at = ${due} where id = '${ids.ivy.dealId}';
       update deals set stage_entered_at = ${now - 10 * dayMs}, next_action_at = ${due} where id = '${ids.fay.dealId}';
       update deal_stage_history set entered_at = ${now - 5 * dayMs} where deal_id = '${ids.ivy.dealId}';
       update deal_stage_history set entered_at = ${now - 10 * dayMs} where deal_id = '${ids.fay.dealId}';
       insert into inbound_emails (id, tenant_id, contact_id, from_address, to_address, subject, text, classification, classification_reason, received_at, created_at)
         values ('inb_browser${run}', '${owner.tenantId}', '${ids.ivy.contactId}', 'ivy.${run}@example.com', 'reply@crm.test', 'Re: hello', 'Yes, tell me more', 'interested', 'seeded', ${now - 7200_000}, ${now});`,
    );
    browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await signInBrowser(context, owner);
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on("console", (message) => {
      // Run now while the agent is off is refused (409) on purpose; the browser logs it.
      const refused = /^Failed to load resource: the server responded with a status of 409 /.test(message.text());
      if (message.type() === "error" && !refused) pageErrors.push(`${page.url()}: ${message.text()}`);
    });
  },
  { timeout: 600_000 },
);

after(async () => {
  await browser?.close().catch(() => {});
  await stack?.stop();
});

test("with the agent off the log says what to do, and Run now shows the API's refusal", async () => {
  await page.goto(url("/ai/decisions"), { waitUntil: "networkidle" });
  await page.getByRole("heading", { name: "Decisions", level: 1 }).waitFor();
  assert.equal((await page.getByTestId("agent-mode").textContent()).trim(), "Off");
  await page.getByText("The agent is off", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Run now" }).click();
  await page
    .getByText(
      "The pipeline agent is off for this organization; set agent.mode to suggest or act in the AI settings first",
      { exact: true },
    )
    .waitFor();
  assert.equal(await page.getByTestId("decision").count(), 0);
  await screenshot(page, "off");
});

test("in suggest mode Run now logs a decision per due deal, each with why, inputs and engine; nothing changes", async () => {
  await page.getByLabel("Change mode").selectOption("suggest");
  await page.getByText("Agent mode: Suggest only.", { exact: true }).waitFor();
  assert.equal((await page.getByTestId("agent-mode").textContent()).trim(), "Suggest only");
  await page.getByRole("button", { name: "Run now" }).click();
  await page.getByText("The agent ran: 2 decisions.", { exact: true }).waitFor();
  const decisions = page.getByTestId("decision");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=decision]").length === 2);

  const ivy = decisions.filter({ hasText: "Ivy Interested" });
  await ivy.getByRole("heading", { name: "Move Ivy Interested to Qualified", level: 3 }).waitFor();
  assert.equal(
    (await ivy.getByText("Why:", { exact: true }).locator("..").textContent()).trim(),
    "Why: The contact replied interested, so the deal moves from Prospect to Qualified.",
  );
  assert.equal(
    (await ivy.getByTestId("outcome-detail").textContent()).trim(),
    "Suggested only: Move Ivy Interested to Qualified.",
  );
  await ivy.getByText("Suggested", { exact: true }).waitFor();
  assert.equal(
    await ivy.getByRole("link", { name: "Ivy Interested" }).getAttribute("href"),
    `/deals/${ids.ivy.dealId}`,
  );
  await ivy.getByText("Reasoning and inputs").click();
  assert.equal((await ivy.locator("dt:has-text('last reply class') + dd").textContent()).trim(), "interested");
  assert.equal((await ivy.locator("dt:has-text('stage') + dd").first().textContent()).trim(), "Prospect");
  await ivy.getByText("Engine: builtin · pipeline-agent-rules v1 · mode suggest · by Run now").waitFor();

  const fay = decisions.filter({ hasText: "Fay Follow-up" });
  await fay.getByRole("heading", { name: "Send follow-up email 1 to the deal's contact", level: 3 }).waitFor();
  assert.equal(
    (await fay.getByText("Why:", { exact: true }).locator("..").textContent()).trim(),
    "Why: Prospect sends a follow-up email when one is due: this is follow-up 1 of at most 3.",
  );
  await screenshot(page, "suggested");

  // Suggest mode changed nothing: Ivy's deal is still in Prospect.
  const deal = await api("GET", `/api/v1/deals/${ids.ivy.dealId}`);
  assert.equal(deal.body.stageId, ids.prospect);
});

test("the filters narrow the log; the stuck-deal review lists the deal over its stage's typical time", async () => {
  await page.getByLabel("Type").selectOption("move_stage");
  await page.waitForURL(url("/ai/decisions?type=move_stage"));
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=decision]").length === 1);
  assert.match(await page.getByTestId("decision").textContent(), /Ivy Interested/);
  await page.getByLabel("Outcome").selectOption("failed");
  await page.getByText("No decisions match", { exact: true }).waitFor();

  const stuck = page.getByTestId("stuck-deal");
  assert.equal(await stuck.count(), 1);
  assert.equal((await stuck.getByRole("link").textContent()).trim(), "Fay Follow-up");
  assert.match(await stuck.textContent(), /Prospect · 10 days \(typical 6\)/);
  await page
    .getByText(
      "1 of 2 open deals is stuck: 1 over their stage's typical time, 0 without activity for 14+ days. Reviewed by stuck-deal-rules v1; logged each day at 07:00 UTC.",
      { exact: true },
    )
    .waitFor();
  await screenshot(page, "filtered");
});

test("another organization sees none of it", async () => {
  const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await signInBrowser(other, stranger);
    const tab = await other.newPage();
    await tab.goto(url("/ai/decisions"), { waitUntil: "networkidle" });
    await tab.getByText("The agent is off", { exact: true }).waitFor();
    assert.equal(await tab.getByTestId("decision").count(), 0);
    await tab.getByText("No deal is stuck", { exact: true }).waitFor();
    assert.equal(await tab.getByText("Fay Follow-up").count(), 0);
    const listed = await api("GET", "/api/v1/ai/agent/decisions", { token: stranger.accessToken });
    assert.deepEqual(listed.body.data, []);
  } finally {
    await other.close();
  }
});

test("the decisions page: first-load JS under 100 KB gzipped, no serious axe violations (light and dark), fits 375 px", async (t) => {
  const components = ["+layout.svelte", "(app)/+layout.svelte", "(app)/ai/decisions/+page.svelte"];
  const problems = [];
  const firstLoad = firstLoadJs(components);
  t.diagnostic(`JS decisions: first load ${(firstLoad.gzipBytes / 1024).toFixed(1)} KB gzipped`);
  if (firstLoad.roots !== 2 + components.length) problems.push("the page is missing from the manifest");
  if (firstLoad.gzipBytes >= firstLoadBudgetBytes)
    problems.push(`first-load JS ${(firstLoad.gzipBytes / 1024).toFixed(1)} KB gzipped`);
  const tab = await context.newPage();
  await tab.goto(url("/ai/decisions"), { waitUntil: "networkidle" });
  await tab.getByTestId("decision").first().getByText("Reasoning and inputs").click();
  await tab.evaluate(axeSource);
  const serious = async () =>
    tab.evaluate(async () => {
      const result = await globalThis.axe.run(document, { resultTypes: ["violations"] });
      return result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    });
  for (const violation of await serious()) problems.push(violation);
  const sideways = await sidewaysScrollProblem(tab, ``);
  if (sideways) problems.push(sideways);
  await screenshot(tab, "375px");
  await useColorScheme(tab, "dark");
  for (const violation of await serious()) problems.push(`(dark) ${violation}`);
  await screenshot(tab, "375px-dark");
  await tab.close();
  assert.deepEqual(problems, []);
});

test("no page logged an error", () => {
  assert.deepEqual(pageErrors, []);
});
