// Campaigns in the dashboard, in Chromium against the real API (`wrangler dev`) and the
// production build: an empty list that says what to do, the new-campaign form showing the API's
// refusals at their controls, a campaign started from its page (its audience enrolled), a test
// send through the dialog landing in the dev outbox, exact result cards, funnel and per-variant
// numbers, pause, clone, compare, edit, a second organization seeing none of it, and axe, 375 px
// and the first-load JS budget on every campaign page.
// The sequence is written to the local D1 (`wrangler d1 execute`): the sequences API and its
// editor are another part of the outreach work; tracking outcomes are written there too.
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
const campaignName = `Webinar leads ${run}`;

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
const d1 = (sql) => executeLocalD1(stack, sql, "campaigns-d1");

const screenshot = (target, name) => saveScreenshot(target, `campaigns-${name}`);

const url = (pathname) => `${stack.webUrl}${pathname}`;

/** The result card's value and note: { Sent: ["2", "0 skipped"], … }. */
async function cards(target) {
  const items = await target.getByTestId("campaign-totals").locator("li").all();
  const read = {};
  for (const item of items) {
    const [label, value, note] = (await item.locator("p").allTextContents()).map((t) => t.trim());
    read[label] = note === undefined ? [value] : [value, note];
  }
  return read;
}

before(
  async () => {
    stack = await startStack();
    [owner, stranger] = await Promise.all([
      signUp(`Campaign Co ${run}`, "Olive Owner", `olive.${run}@example.com`),
      signUp(`Other Org ${run}`, "Sam Stranger", `sam.${run}@example.com`),
    ]);
    ids.sequence = `seq_browser${run}`;
    const now = Date.now();
    await d1(
      `insert into sequences (id, tenant_id, name, send_window, exit_rules, created_by, created_at, updated_at)
         values ('${ids.sequence}', '${owner.tenantId}', 'Webinar follow-up', '{"days":[1,2,3,4,5],"start":"09:00","end":"17:00"}', '{}', 'us_x', ${now}, ${now});
       insert into sequence_steps (id, tenant_id, sequence_id, position, delay_amount, delay_unit, variants, created_at, updated_at)
         values ('sqs_browser${run}', '${owner.tenantId}', '${ids.sequence}', 1, 0, 'hours',
           '[{"key":"A","weight":100,"subject":"Hi {{contact.firstName|there}}","body":"Hello from {{sender.name|the team}}"}]', ${now}, ${now});`,
    );
    for (const contact of [
      { firstName: "Ada", lastName: `Lovelace${run}`, lifecycleStage: "lead" },
      { firstName: "Alan", lastName: `Turing${run}`, lifecycleStage: "lead" },
      { firstName: "Cy", lastName: `Customer${run}`, lifecycleStage: "customer" },
    ]) {
      const made = await api("POST", "/api/v1/contacts", { body: contact });
      assert.equal(made.status, 201, JSON.stringify(made.body));
    }
    browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await signInBrowser(context, owner);
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on("console", (message) => {
      // The form's refused submit (422) is expected; the browser logs every 4xx fetch.
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

test("an empty list says what to do; `c` opens the form, which shows the API's refusals at their controls", async () => {
  await page.goto(url("/campaigns"), { waitUntil: "networkidle" });
  await page.getByRole("heading", { name: "Campaigns", level: 1 }).waitFor();
  await page.getByText("No campaigns yet", { exact: true }).waitFor();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Campaigns" }).waitFor();
  await page.keyboard.press("c");
  await page.waitForURL(url("/campaigns/new"));
  await page.getByRole("heading", { name: "New campaign", level: 1 }).waitFor();
  // Nothing filled in: the API answers 422 for the name and the sequence, shown at each.
  await page.getByRole("button", { name: "Create draft" }).click();
  const name = page.getByLabel("Name", { exact: true });
  await page.getByText("Must not be empty", { exact: true }).waitFor();
  assert.equal(await name.getAttribute("aria-invalid"), "true");
  const describedBy = await name.getAttribute("aria-describedby");
  assert.equal((await page.locator(`[id="${describedBy.split(" ")[0]}"]`).textContent()).trim(), "Must not be empty");
  assert.equal(await page.getByLabel("Sequence", { exact: true }).getAttribute("aria-invalid"), "true");
  await screenshot(page, "new-refused");
});

test("a draft is listed; its page starts it, enrolling the audience, and says so", async () => {
  const created = await api("POST", "/api/v1/campaigns", {
    body: {
      name: campaignName,
      sequenceId: ids.sequence,
      audience: { lifecycleStage: "lead" },
      goal: { metric: "replies", target: 5 },
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  ids.campaign = created.body.id;
  await page.goto(url("/campaigns"), { waitUntil: "networkidle" });
  const row = page.getByTestId("campaign-row");
  assert.equal(await row.count(), 1);
  const cells = (await row.locator("td").allTextContents()).map((t) => t.trim());
  assert.deepEqual(cells.slice(1), [campaignName, "Draft", "lifecycle stage lead", "0", "Not yet"]);

  await row.getByRole("link", { name: campaignName }).click();
  await page.waitForURL(url(`/campaigns/${ids.campaign}`));
  await page.getByRole("heading", { name: campaignName, level: 1 }).waitFor();
  assert.equal((await page.getByTestId("campaign-status").textContent()).trim(), "Draft");
  assert.equal((await page.locator("dt:has-text('Goal') + dd").textContent()).trim(), "Replies: 0 of 5");
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await page.getByText("Started: 2 contacts enrolled", { exact: true }).waitFor();
  await page.getByTestId("campaign-status").getByText("Running", { exact: true }).waitFor();
  assert.deepEqual((await cards(page)).Enrolled, ["2"]);
  await screenshot(page, "started");
});

test("a test send renders step 1 for a picked contact and lands in the outbox, outside the numbers", async () => {
  await page.getByRole("button", { name: "Send a test" }).click();
  const dialog = page.getByRole("dialog", { name: "Send a test" });
  await dialog.waitFor();
  // Refused first: no contact chosen.
  await dialog.getByRole("button", { name: "Send test" }).click();
  await dialog.getByText("Choose whose details fill the message.", { exact: true }).waitFor();
  await dialog.getByLabel("Contact", { exact: true }).fill(`Lovelace${run}`);
  await page.getByRole("option", { name: `Ada Lovelace${run}`, exact: true }).click();
  const to = dialog.getByLabel("Send to", { exact: true });
  assert.equal(await to.inputValue(), `olive.${run}@example.com`);
  await to.fill(`tester.${run}@example.com`);
  await dialog.getByRole("button", { name: "Send test" }).click();
  const result = dialog.getByTestId("test-send-result");
  await result.waitFor();
  assert.deepEqual(
    (await result.locator("p").allTextContents()).map((t) => t.trim()),
    ["[Test] Hi Ada", `Hello from Campaign Co ${run}`, `Sent to tester.${run}@example.com through dev-outbox`],
  );
  const outbox = await api("GET", `/api/v1/dev/outbox?to=${encodeURIComponent(`tester.${run}@example.com`)}`);
  assert.deepEqual(
    outbox.body.data.map((m) => [m.subject, m.text]),
    [["[Test] Hi Ada", `Hello from Campaign Co ${run}`]],
  );
  await dialog.getByRole("button", { name: "Close", exact: true }).first().click();
  await page.reload({ waitUntil: "networkidle" });
  assert.deepEqual((await cards(page)).Sent, ["0", "0 skipped"]);
});

test("results: cards, funnel and the per-variant table show exact numbers", async () => {
  // What the send pipeline and tracking leave behind: both sent, Ada opened twice and replied.
  const now = Date.now();
  await d1(
    `insert into outreach_messages (id, tenant_id, dedupe_key, channel, contact_id, enrollment_id, sequence_id, step_id, variant_key, campaign_id, status, to_address, subject, text, sent_at, first_opened_at, open_count, replied_at, created_at, updated_at)
       select 'om_' || e.id, e.tenant_id, e.id || ':' || e.next_step_id, 'email', e.contact_id, e.id, e.sequence_id, e.next_step_id, 'A', e.campaign_id, 'sent', 'x@example.com', 'Hi', 'Hello', ${now},
         case when c.first_name = 'Ada' then ${now} end, case when c.first_name = 'Ada' then 2 else 0 end, case when c.first_name = 'Ada' then ${now} end, ${now}, ${now}
       from sequence_enrollments e join contacts c on c.id = e.contact_id where e.campaign_id = '${ids.campaign}';
     insert into outreach_events (id, tenant_id, message_id, type, campaign_id, occurred_at, created_at)
       select 'oev_' || id, tenant_id, id, 'sent', campaign_id, ${now}, ${now} from outreach_messages where campaign_id = '${ids.campaign}' and enrollment_id is not null;`,
  );
  await page.goto(url(`/campaigns/${ids.campaign}`), { waitUntil: "networkidle" });
  const read = await cards(page);
  assert.deepEqual(read, {
    Enrolled: ["2"],
    Sent: ["2", "0 skipped"],
    Delivered: ["2", "100%"],
    Opened: ["1", "50%"],
    Clicked: ["0", "0%"],
    Replied: ["1", "50%"],
    Bounced: ["0", "0%"],
    Unsubscribed: ["0", "0%"],
    Converted: ["0", "0%"],
    Revenue: ["0", "won after enrolling"],
  });
  assert.equal((await page.locator("dt:has-text('Goal') + dd").textContent()).trim(), "Replies: 1 of 5");
  const funnel = await page
    .getByTestId("funnel-table")
    .locator("tr")
    .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent.trim()).join(" ")));
  assert.deepEqual(funnel, ["Enrolled 2", "Sent 2", "Opened 1", "Clicked 0", "Replied 1", "Converted 0"]);
  const variant = (
    await page.getByTestId("variant-table").locator("tbody tr").first().locator("td").allTextContents()
  ).map((t) => t.replace(/\s+/g, " ").trim());
  assert.deepEqual(variant, [
    "A · 100% Hi {{contact.firstName|there}}",
    "2",
    "2",
    "1",
    "0",
    "1",
    "0",
    "0",
    "0",
    "0",
    "0",
  ]);
  // The charts drew once layerchart loaded.
  await page.locator("[role=img][aria-label^='Contacts at each stage'] svg.lc-layout-svg").waitFor();
  await page
    .locator("[role=img][aria-label^='Sent, opened, clicked and replied per day'] svg.lc-layout-svg path")
    .first()
    .waitFor();
  await screenshot(page, "results");
});

test("pause, edit, clone and compare", async () => {
  await page.getByRole("button", { name: "Pause", exact: true }).click();
  await page.getByText("Paused: nothing more is sent until you resume", { exact: true }).waitFor();
  await page.getByTestId("campaign-status").getByText("Paused", { exact: true }).waitFor();

  await page.getByRole("link", { name: "Edit" }).click();
  await page.waitForURL(url(`/campaigns/${ids.campaign}/edit`));
  assert.equal(await page.getByLabel("Lifecycle stage", { exact: true }).isDisabled(), true);
  await page.getByLabel("Name", { exact: true }).fill(`${campaignName} (spring)`);
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.waitForURL(url(`/campaigns/${ids.campaign}`));
  await page.getByRole("heading", { name: `${campaignName} (spring)`, level: 1 }).waitFor();

  await page.getByRole("button", { name: "Clone", exact: true }).click();
  await page.getByRole("heading", { name: `${campaignName} (spring) (copy)`, level: 1 }).waitFor();
  assert.equal((await page.getByTestId("campaign-status").textContent()).trim(), "Draft");
  ids.copy = page.url().split("/").at(-1);
  const second = await api("POST", `/api/v1/campaigns/${ids.campaign}/clone`, { body: { name: `Kept ${run}` } });
  ids.second = second.body.id;

  await page.goto(url("/campaigns"), { waitUntil: "networkidle" });
  assert.equal(await page.getByTestId("campaign-row").count(), 3);
  await page.getByLabel(`Compare ${campaignName} (spring)`, { exact: true }).check();
  await page.getByLabel(`Compare ${campaignName} (spring) (copy)`, { exact: true }).check();
  await page.getByRole("link", { name: "Compare (2)" }).click();
  await page.waitForURL(/\/campaigns\/compare\?ids=/);
  const table = page.getByTestId("compare-table");
  const heads = (await table.locator("thead th").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
  assert.deepEqual(heads, ["Measure", `${campaignName} (spring) Paused`, `${campaignName} (spring) (copy) Draft`]);
  const replied = (await table.locator("tbody tr", { hasText: "Replied" }).locator("td").allTextContents()).map((t) =>
    t.trim(),
  );
  assert.deepEqual(replied, ["1 (50%)", "0 (0%)"]);
  await screenshot(page, "compare");

  // The copy is deleted from its page, after confirming.
  await page.goto(url(`/campaigns/${ids.copy}`), { waitUntil: "networkidle" });
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await page
    .getByRole("dialog", { name: `Delete ${campaignName} (spring) (copy)?` })
    .getByRole("button", { name: "Delete" })
    .click();
  await page.waitForURL(url("/campaigns"));
  await page.getByText(`“${campaignName} (spring) (copy)” deleted`, { exact: true }).waitFor();
  assert.equal(await page.getByTestId("campaign-row").count(), 2);
});

test("another organization sees none of it", async () => {
  const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await signInBrowser(other, stranger);
    const tab = await other.newPage();
    await tab.goto(url("/campaigns"), { waitUntil: "networkidle" });
    await tab.getByText("No campaigns yet", { exact: true }).waitFor();
    const response = await tab.goto(url(`/campaigns/${ids.campaign}`));
    assert.equal(response.status(), 404);
    const listed = await api("GET", "/api/v1/campaigns", { token: stranger.accessToken });
    assert.deepEqual(listed.body.data, []);
  } finally {
    await other.close();
  }
});

test("every campaign page: first-load JS under 100 KB gzipped, no serious axe violations (light and dark), fits 375 px", async (t) => {
  const app = ["+layout.svelte", "(app)/+layout.svelte"];
  const pages = [
    ["list", "/campaigns", ["(app)/campaigns/+page.svelte"]],
    ["new", "/campaigns/new", ["(app)/campaigns/new/+page.svelte"]],
    ["campaign", `/campaigns/${ids.campaign}`, ["(app)/campaigns/[id]/+page.svelte"]],
    ["edit", `/campaigns/${ids.campaign}/edit`, ["(app)/campaigns/[id]/edit/+page.svelte"]],
    ["compare", `/campaigns/compare?ids=${ids.campaign},${ids.second}`, ["(app)/campaigns/compare/+page.svelte"]],
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
