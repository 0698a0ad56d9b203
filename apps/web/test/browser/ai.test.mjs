// The dashboard's AI area in Chromium against the real API (`wrangler dev`) and the production
// build: the overview's level counts and top contacts equal the API's distribution, "Rescore all"
// runs the queued job to the end, a refused training request is shown at its field, the
// per-contact breakdown shows the API's explanation and factors in order, an override refused
// at its field and then accepted, the composer generates exactly what the API answers for the same
// input (email subject, SMS within 160 characters), edits it and sends it as one email (and shows
// a refusal at Send), a second organization sees none of it, and axe, 375 px and the first-load JS
// budget on each page.
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

async function ok(method, pathname, options = {}, status = 200) {
  const result = await api(method, pathname, options);
  assert.equal(result.status, status, `${method} ${pathname}: ${JSON.stringify(result.body)}`);
  return result.body;
}

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

const screenshot = (target, name) => saveScreenshot(target, `ai-${name}`);

const url = (pathname) => `${stack.webUrl}${pathname}`;

/** The level counts a `dl` shows: [[level, count], …] in page order. */
async function levelCounts(target, label) {
  const list = target.getByLabel(label, { exact: true });
  const levels = (await list.locator("dt").allTextContents()).map((t) => t.trim());
  const counts = (await list.locator("dd").allTextContents()).map((t) => Number(t.trim()));
  return levels.map((level, i) => [level, counts[i]]);
}

before(
  async () => {
    stack = await startStack();
    [owner, stranger] = await Promise.all([
      signUp(`AI Co ${run}`, "Olive Owner", `olive.${run}@example.com`),
      signUp(`Other Org ${run}`, "Sam Stranger", `sam.${run}@example.com`),
    ]);
    const company = await ok("POST", "/api/v1/companies", { body: { name: `Analytical Engines ${run}` } }, 201);
    for (const [key, contact] of Object.entries({
      ada: {
        firstName: "Ada",
        lastName: `Lovelace${run}`,
        lifecycleStage: "lead",
        companyId: company.id,
        title: "CTO",
      },
      alan: { firstName: "Alan", lastName: `Turing${run}`, lifecycleStage: "lead", companyId: company.id },
      grace: { firstName: "Grace", lastName: `Hopper${run}`, lifecycleStage: "customer" },
      linus: { firstName: "Linus", lastName: `Pauling${run}` },
    })) {
      const made = await ok(
        "POST",
        "/api/v1/contacts",
        { body: { ...contact, emails: [{ address: `${key}.${run}@example.com`, primary: true }] } },
        201,
      );
      ids[key] = made.id;
      await ok("POST", `/api/v1/contacts/${made.id}/score`);
    }
    await ok("POST", `/api/v1/contacts/${ids.ada}/score/override`, {
      body: { score: 88, reason: "Met her at the trade fair" },
    });
    const theirs = await ok(
      "POST",
      "/api/v1/contacts",
      { token: stranger.accessToken, body: { firstName: "Stella", lastName: `Stranger${run}` } },
      201,
    );
    ids.strangers = theirs.id;
    await ok("POST", `/api/v1/contacts/${theirs.id}/score`, { token: stranger.accessToken });

    browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await signInBrowser(context, owner);
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on("console", (message) => {
      // Refused requests (422) are part of the test; the browser logs every 4xx fetch.
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

test("the overview's counts, histogram numbers and top contacts are the API's; Rescore all runs to the end", async () => {
  const distribution = await ok("GET", "/api/v1/ai/scores/distribution?kind=lead_score");
  assert.equal(distribution.total, 4);
  await page.goto(url("/ai"), { waitUntil: "networkidle" });
  await page.getByRole("heading", { name: "AI", level: 1 }).waitFor();
  // The histogram is imported once the page has started, so its bars also mean it is hydrated.
  await page.locator("svg .lc-bar").first().waitFor({ state: "attached" });
  const sidebar = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "AI", exact: true });
  assert.equal(await sidebar.getAttribute("aria-current"), "page");
  const tabs = page.getByRole("navigation", { name: "AI sections" }).getByRole("link");
  assert.deepEqual(
    (await tabs.allTextContents()).map((t) => t.trim()),
    ["Overview", "Composer", "Recommendations", "Forecasts", "Decisions"],
  );

  assert.deepEqual(
    await levelCounts(page, "Lead scores per level"),
    distribution.levels.map((l) => [l.level, l.count]),
  );
  await page.getByText(`4 scored, average ${distribution.averageScore}, 1 set by hand`, { exact: true }).waitFor();
  // The numbers behind the chart, per range.
  await page.getByText("The numbers per range").click();
  const rangeRows = page.getByRole("region", { name: "Lead scores per range" }).locator("tbody tr");
  const shown = [];
  for (const row of await rangeRows.all()) shown.push((await row.locator("td").last().textContent()).trim());
  assert.deepEqual(
    shown,
    distribution.bins.map((b) => String(b.count)),
  );

  const topRows = page.getByRole("region", { name: "Highest lead scores" }).locator("tbody tr");
  assert.deepEqual(
    (await topRows.locator("td:first-child").allTextContents()).map((t) => t.trim()),
    distribution.top.map((t) => t.name),
  );
  assert.equal(distribution.top[0].contactId, ids.ada);
  assert.equal((await topRows.first().locator("td").nth(1).textContent()).trim(), "88 (set by hand)");
  await page.getByText("No churn risk assessed yet", { exact: true }).waitFor();
  await page.getByText("No lead has a score yet", { exact: true }).waitFor();
  await page.getByText("No model trained yet", { exact: true }).waitFor();
  await screenshot(page, "overview");

  // The choice beside the button says which scores: lead scores (contacts and leads) is the default.
  const choice = page.getByLabel("Scores to rescore");
  assert.deepEqual(
    (await choice.locator("option").allTextContents()).map((t) => t.trim()),
    ["Lead scores: contacts and leads", "Churn risk: customers"],
  );
  assert.equal(await choice.inputValue(), "lead_score");
  await page.getByRole("button", { name: "Rescore all" }).click();
  await page
    .getByText("Rescoring lead scores of contacts and leads: 4 of 4 (completed), started by hand", { exact: true })
    .waitFor({ timeout: 60_000 });
  const after = await ok("GET", "/api/v1/ai/scores/distribution?kind=lead_score");
  await page.waitForLoadState("networkidle");
  assert.deepEqual(
    await levelCounts(page, "Lead scores per level"),
    after.levels.map((l) => [l.level, l.count]),
  );
});

test("a lead's page shows its score, level and breakdown as the API gives them, and the lead list its score", async () => {
  const lead = await ok(
    "POST",
    "/api/v1/leads",
    {
      body: {
        firstName: "Lena",
        lastName: `Lead${run}`,
        email: `lena.${run}@example.com`,
        companyName: "Prospect Co",
        title: "Head of IT",
      },
    },
    201,
  );
  await ok(
    "POST",
    "/api/v1/activities",
    { body: { recordType: "lead", recordId: lead.id, type: "meeting", subject: "Discovery" } },
    201,
  );
  await page.goto(url(`/leads/${lead.id}`));
  const panel = page.getByTestId("lead-score");
  await panel.getByTestId("lead-score-value").waitFor();
  // Reading stores nothing: the panel shows the score computed for the view and says so.
  const preview = await ok("GET", `/api/v1/leads/${lead.id}/score`);
  assert.equal(preview.history.length, 0);
  await panel.getByText("computed for this view, not stored yet", { exact: false }).waitFor();
  assert.equal((await panel.getByTestId("lead-score-value").textContent()).trim(), String(preview.score));
  // Score now stores it; the API then answers the stored score with its history.
  await panel.getByRole("button", { name: "Score now" }).click();
  await panel.getByText("scored ", { exact: false }).waitFor();
  const score = await ok("GET", `/api/v1/leads/${lead.id}/score`);
  assert.equal(score.history.length, 1);
  assert.equal((await panel.getByTestId("lead-score-value").textContent()).trim(), String(score.score));
  await panel.getByText(score.level, { exact: true }).waitFor();
  await panel.getByText(score.explanation, { exact: true }).waitFor();
  const rows = panel.getByRole("table", { name: "Lead score components" }).locator("tbody tr");
  const shown = [];
  for (const row of await rows.all())
    shown.push([
      (await row.locator("td").first().textContent()).trim(),
      (await row.locator("td").last().textContent()).trim(),
    ]);
  assert.deepEqual(
    shown,
    score.components.rules.map((c) => [c.score === null ? "—" : String(c.score), c.detail]),
  );
  await screenshot(page, "lead-score");

  await page.goto(url("/leads"));
  const row = page.getByRole("row").filter({ hasText: `Lead${run}` });
  await row.getByText(`${score.score} (${score.level})`, { exact: true }).waitFor();

  // The AI overview counts the leads' stored scores apart from the contacts', as the API does.
  const leadScores = await ok("GET", "/api/v1/ai/scores/distribution?kind=lead_score&recordType=lead");
  assert.equal(leadScores.total, 1);
  await page.goto(url("/ai"), { waitUntil: "networkidle" });
  await page.getByText(`1 scored, average ${leadScores.averageScore}`, { exact: true }).waitFor();
  assert.deepEqual(
    await levelCounts(page, "Lead scores of leads per level"),
    leadScores.levels.map((l) => [l.level, l.count]),
  );
  const top = page.getByRole("list", { name: "Highest-scored leads" }).getByRole("link");
  assert.deepEqual(
    (await top.allTextContents()).map((t) => t.trim()),
    [`Lena Lead${run}`],
  );
  assert.equal(await top.first().getAttribute("href"), `/leads/${lead.id}`);
});

test("a refused training request is shown at its field", async () => {
  await page.goto(url("/ai"), { waitUntil: "networkidle" });
  await page.locator("svg .lc-bar").first().waitFor({ state: "attached" });
  await page.getByRole("button", { name: "Train now" }).click();
  await page.getByLabel("Outcome", { exact: true }).selectOption("field");
  await page.getByLabel("Field", { exact: true }).fill("cf.nope");
  await page.getByLabel("Positive values", { exact: true }).fill("yes");
  await page.getByRole("button", { name: "Train", exact: true }).click();
  const expected = await api("POST", "/api/v1/ai/models", {
    body: { kind: "lead_score", label: { source: "field", field: "cf.nope", positiveValues: ["yes"] } },
  });
  assert.equal(expected.status, 422);
  const message = expected.body.errors.find((e) => e.path === "body.label.field").message;
  const field = page.getByLabel("Field", { exact: true });
  await page.getByText(message, { exact: true }).waitFor();
  assert.equal(await field.getAttribute("aria-invalid"), "true");
  const describedBy = (await field.getAttribute("aria-describedby")).split(" ");
  const texts = await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).textContent()));
  assert.ok(texts.map((t) => t.trim()).includes(message));
});

test("the breakdown shows the API's explanation and factors; an override is refused at its field, then saved", async () => {
  await page.goto(url("/ai"), { waitUntil: "networkidle" });
  await page.getByRole("link", { name: `Alan Turing${run}` }).click();
  await page.waitForURL(url(`/ai/contacts/${ids.alan}`));
  const breakdown = await ok("GET", `/api/v1/contacts/${ids.alan}/score`);
  await page.getByRole("heading", { name: `Alan Turing${run}`, level: 1 }).waitFor();
  assert.equal((await page.getByTestId("score-value").textContent()).trim(), String(breakdown.score));
  assert.equal((await page.getByTestId("score-explanation").textContent()).trim(), breakdown.explanation);
  const factors = page.getByRole("list", { name: "Factors, strongest first" }).locator("li");
  assert.equal(await factors.count(), breakdown.factors.length);
  assert.ok(breakdown.factors.length > 0);
  for (const [i, factor] of breakdown.factors.entries()) {
    const text = (await factors.nth(i).textContent()).replace(/\s+/g, " ").trim();
    assert.ok(text.startsWith(factor.name), `${text} starts with ${factor.name}`);
    assert.ok(text.endsWith(`${factor.impact > 0 ? "+" : ""}${factor.impact}`), `${text} ends with ${factor.impact}`);
  }
  const rules = page.getByRole("region", { name: "Rule components" }).locator("tbody th");
  const ruleLabels = {
    engagement: "Engagement",
    recency: "Recency",
    responseRate: "Response rate",
    completeness: "Profile completeness",
    fit: "ICP fit",
  };
  assert.deepEqual(
    (await rules.allTextContents()).map((t) => t.trim()),
    breakdown.components.rules.map((r) => ruleLabels[r.name]),
  );

  // 150 is out of range: the API's message appears at the score field.
  const refused = await api("POST", `/api/v1/contacts/${ids.alan}/score/override`, {
    body: { score: 150, reason: "Keen" },
  });
  assert.equal(refused.status, 422);
  const message = refused.body.errors.find((e) => e.path === "body.score").message;
  await page.getByLabel("Score (0-100)", { exact: true }).fill("150");
  await page.getByLabel("Reason", { exact: true }).fill("Keen");
  await page.getByRole("button", { name: "Set score" }).click();
  const scoreField = page.getByLabel("Score (0-100)", { exact: true });
  await page.getByText(message, { exact: true }).waitFor();
  assert.equal(await scoreField.getAttribute("aria-invalid"), "true");
  await screenshot(page, "override-refused");

  await scoreField.fill("42");
  await page.getByLabel("Reason", { exact: true }).fill("Went quiet after the demo");
  await page.getByRole("button", { name: "Set score" }).click();
  await page.getByText("Set by hand: “Went quiet after the demo”.", { exact: false }).waitFor();
  assert.equal((await page.getByTestId("score-value").textContent()).trim(), "42");
  const stored = await ok("GET", `/api/v1/contacts/${ids.alan}/score`);
  assert.equal(stored.override.score, 42);
  assert.equal(stored.history[0].change, "override");
  const history = page.getByRole("region", { name: "Score history" }).locator("tbody tr").first();
  assert.deepEqual(
    (await history.locator("td").allTextContents()).slice(1).map((t) => t.trim()),
    ["override", "42", stored.level, "Went quiet after the demo"],
  );
  // A customer's breakdown says why there is no churn risk yet (the API's refusal).
  const churn = await api("GET", `/api/v1/contacts/${ids.grace}/churn-risk`);
  assert.equal(churn.status, 409);
  await page.goto(url(`/ai/contacts/${ids.grace}`), { waitUntil: "networkidle" });
  await page.getByRole("heading", { name: "Churn risk" }).waitFor();
  await page.getByText(churn.body.detail, { exact: true }).waitFor();
});

test("the composer generates exactly what the API answers, keeps SMS within 160 characters, edits and sends", async () => {
  await page.goto(url("/ai/composer"), { waitUntil: "networkidle" });
  await page.getByRole("heading", { name: "Composer", level: 1 }).waitFor();
  // Nothing picked: the form says so at the contact search.
  await page.getByRole("button", { name: "Generate" }).click();
  await page.getByText("Pick a contact", { exact: true }).waitFor();

  await page.getByLabel("Search contacts").fill(`Ada Lovelace${run}`);
  await page.getByRole("list", { name: "Matching contacts" }).getByRole("button").first().click();
  assert.equal((await page.getByTestId("chosen-contact").textContent()).trim(), `Ada Lovelace${run}`);
  await page.getByLabel("Tone", { exact: true }).selectOption("friendly");
  const subjectTemplate = await page.getByLabel("Subject template", { exact: true }).inputValue();
  const bodyTemplate = await page.getByLabel("Body template", { exact: true }).inputValue();
  await page.getByRole("button", { name: "Generate" }).click();
  const expected = await ok("POST", "/api/v1/ai/content", {
    body: {
      channel: "email",
      tone: "friendly",
      contactId: ids.ada,
      template: { subject: subjectTemplate, body: bodyTemplate },
    },
  });
  await page.getByTestId("draft-subject").waitFor();
  assert.equal((await page.getByTestId("draft-subject").textContent()).trim(), expected.result.subject);
  assert.equal(await page.getByTestId("draft-body").textContent(), expected.result.body);
  assert.equal((await page.getByTestId("draft-explanation").textContent()).trim(), expected.explanation);
  assert.equal(
    (await page.getByTestId("draft-engine").textContent()).trim(),
    `Built-in engine · ${expected.engine.model} v${expected.engine.version}`,
  );
  assert.ok(expected.result.subject.includes(`Analytical Engines ${run}`), expected.result.subject);
  await screenshot(page, "composer-email");

  // Shorten: the preview becomes the API's answer for the same draft.
  const shortened = await ok("POST", "/api/v1/ai/content/rewrite", {
    body: {
      text: expected.result.body,
      subject: expected.result.subject,
      operation: "shorten",
      tone: "friendly",
      channel: "email",
    },
  });
  await page.getByRole("button", { name: "Shorten" }).click();
  await page.waitForFunction(
    (body) => document.querySelector('[data-testid="draft-body"]')?.textContent === body,
    shortened.result.body,
  );

  // Send: one email to Ada now (POST /outreach/emails). The organization has no mailbox, so it
  // goes to the dev outbox and the page says so in the API's words; no sequence is made.
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByTestId("send-result").waitFor();
  const messages = await ok("GET", `/api/v1/outreach/messages?contactId=${ids.ada}`);
  assert.deepEqual(
    messages.data.map((m) => [m.status, m.subject, m.toAddress, m.transport, m.sequenceId]),
    [["sent", shortened.result.subject, `ada.${run}@example.com`, "dev-outbox", null]],
  );
  const message = await ok("GET", `/api/v1/outreach/messages/${messages.data[0].id}`);
  assert.ok(message.text.startsWith(`${shortened.result.body}\n\n--\nUnsubscribe: `), message.text);
  assert.equal(
    (await page.getByTestId("send-result").textContent()).replace(/\s+/g, " ").trim(),
    `The organization has no mailbox: the email went to the dev outbox (GET /api/v1/dev/outbox), not to ada.${run}@example.com. Add a mailbox under Settings, Mailboxes to deliver it. See it in the outbox`,
  );
  assert.deepEqual((await ok("GET", "/api/v1/sequences?limit=50")).data, []);

  // A contact who may not be emailed: the API's refusal is shown, and nothing more is sent.
  await ok("PATCH", `/api/v1/contacts/${ids.ada}`, { body: { doNotContact: true } });
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page
    .getByRole("alert")
    .getByText(`Contact ${ids.ada} is marked do not contact: it may not be emailed`, { exact: true })
    .waitFor();
  assert.equal(await page.getByTestId("send-result").count(), 0);
  assert.equal((await ok("GET", `/api/v1/outreach/messages?contactId=${ids.ada}`)).data.length, 1);
  await ok("PATCH", `/api/v1/contacts/${ids.ada}`, { body: { doNotContact: false } });

  // SMS: within 160 characters, the count shown is the API's.
  await page.getByLabel("SMS (160 characters)").check();
  await page
    .getByLabel("Body template", { exact: true })
    .fill(
      "Hi {{contact.firstName|there}}, " +
        "we would love to show you how the new reporting works for your whole team. ".repeat(4),
    );
  const smsTemplate = await page.getByLabel("Body template", { exact: true }).inputValue();
  await page.getByRole("button", { name: "Generate" }).click();
  const sms = await ok("POST", "/api/v1/ai/content", {
    body: { channel: "sms", tone: "friendly", contactId: ids.ada, template: { subject: null, body: smsTemplate } },
  });
  assert.ok(sms.result.characters <= 160);
  await page.waitForFunction(
    (body) => document.querySelector('[data-testid="draft-body"]')?.textContent === body,
    sms.result.body,
  );
  const shownBody = await page.getByTestId("draft-body").textContent();
  assert.ok(shownBody.length <= 160, `${shownBody.length} characters`);
  assert.equal(
    (await page.getByTestId("draft-count").textContent()).trim(),
    `${sms.result.characters} / 160 characters${sms.result.truncated ? " (shortened to fit)" : ""}`,
  );
  assert.equal(await page.getByTestId("draft-subject").count(), 0);
  await screenshot(page, "composer-sms");
});

test("another organization sees none of the first's scores or contacts", async () => {
  const theirs = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await signInBrowser(theirs, stranger);
  const tab = await theirs.newPage();
  const distribution = await ok("GET", "/api/v1/ai/scores/distribution", { token: stranger.accessToken });
  assert.equal(distribution.total, 1);
  await tab.goto(url("/ai"), { waitUntil: "networkidle" });
  assert.deepEqual(
    await levelCounts(tab, "Lead scores per level"),
    distribution.levels.map((l) => [l.level, l.count]),
  );
  const names = (
    await tab.getByRole("region", { name: "Highest lead scores" }).locator("tbody td:first-child").allTextContents()
  ).map((t) => t.trim());
  assert.deepEqual(names, [`Stella Stranger${run}`]);
  const body = await tab.locator("main").textContent();
  for (const name of ["Ada", "Alan", "Grace", "Linus"]) assert.ok(!body.includes(`${name} `), `${name} is not shown`);

  const response = await tab.goto(url(`/ai/contacts/${ids.ada}`));
  assert.equal(response.status(), 404);
  await tab.goto(url("/ai/composer"), { waitUntil: "networkidle" });
  await tab.getByLabel("Search contacts").fill(`Lovelace${run}`);
  await tab.getByText(`No contact matches “Lovelace${run}”.`, { exact: true }).waitFor();
  await theirs.close();
});

test("every AI page: first-load JS under 100 KB gzipped, no serious axe violations (light and dark), fits 375 px", async (t) => {
  const app = ["+layout.svelte", "(app)/+layout.svelte", "(app)/ai/+layout.svelte"];
  const pages = [
    ["overview", "/ai", ["(app)/ai/+page.svelte"]],
    ["breakdown", `/ai/contacts/${ids.ada}`, ["(app)/ai/contacts/[id]/+page.svelte"]],
    ["composer", `/ai/composer?contactId=${ids.ada}`, ["(app)/ai/composer/+page.svelte"]],
  ];
  const problems = [];
  for (const [name, pathname, components] of pages) {
    const firstLoad = firstLoadJs([...app, ...components]);
    t.diagnostic(`JS ${name}: first load ${(firstLoad.gzipBytes / 1024).toFixed(1)} KB gzipped`);
    if (firstLoad.roots !== 2 + app.length + components.length) problems.push(`${pathname}: missing from the manifest`);
    if (firstLoad.gzipBytes >= firstLoadBudgetBytes)
      problems.push(`${pathname}: first-load JS ${(firstLoad.gzipBytes / 1024).toFixed(1)} KB gzipped`);
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
