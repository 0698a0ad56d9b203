// Workflows in the dashboard, in Chromium against the real API (`wrangler dev`, with its queue
// and the workflow runner) and the production build: build "contact created → lifecycle stage
// is customer → add tag + notify me" through the form, activate it, create contacts through the
// API, then read the run and its steps in the history, the tag on the contact and the message
// behind the bell. Also: an API refusal shown at the control that wrote it, "Saved as version
// 2", a second organization seeing none of it, axe and 375 px on every workflow page.
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
const workflowName = `Welcome customers ${run}`;
const customer = { firstName: "Ada", lastName: `Lovelace${run}` };
const prospect = { firstName: "Alan", lastName: `Turing${run}` };

let stack;
let browser;
let context;
let page;
/** Organization A's owner and B's: { accessToken, refreshToken, userId }. */
let owner;
let stranger;
/** Ids found along the way. */
const ids = {};
const pageErrors = [];

const api = (method, pathname, { token = owner?.accessToken, body } = {}) =>
  requestJson(stack.apiUrl, method, pathname, { token, body });

async function signUp(organizationName, name, email) {
  const session = await api("POST", "/api/v1/auth/signup", { body: { organizationName, name, email, password } });
  assert.equal(session.status, 201, JSON.stringify(session.body));
  const me = await api("GET", "/api/v1/me", { token: session.body.accessToken });
  return { accessToken: session.body.accessToken, refreshToken: session.body.refreshToken, userId: me.body.user.id };
}

const signInBrowser = (ctx, session) => signInWithSession(ctx, stack.webUrl, session);

const screenshot = (target, name) => saveScreenshot(target, `workflows-${name}`);

const url = (pathname) => `${stack.webUrl}${pathname}`;

/** Reloads `pathname` until `ready()` holds (the queue runs workflows in the background). */
async function reloadUntil(target, pathname, ready, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await target.goto(url(pathname), { waitUntil: "networkidle" });
    if (await ready()) return;
    if (Date.now() > deadline) assert.fail(`${what} did not happen within ${timeoutMs / 1000} s`);
    await target.waitForTimeout(1_000);
  }
}

before(
  async () => {
    stack = await startStack();
    [owner, stranger] = await Promise.all([
      signUp(`Flow Works ${run}`, "Olive Owner", `olive.${run}@example.com`),
      signUp(`Other Org ${run}`, "Sam Stranger", `sam.${run}@example.com`),
    ]);
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

test("an empty list says what to do; `c` opens the builder", async () => {
  // Hydrated first: the shortcut is the page's script.
  await page.goto(url("/workflows"), { waitUntil: "networkidle" });
  await page.getByRole("heading", { name: "Workflows", level: 1 }).waitFor();
  await page.getByText("No workflows yet", { exact: true }).waitFor();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workflows" }).waitFor();
  await page.keyboard.press("c");
  await page.waitForURL(url("/workflows/new"));
  await page.getByRole("heading", { name: "New workflow", level: 1 }).waitFor();
});

test("build contact created → lifecycle stage is customer → add tag + notify me, through the form", async () => {
  await page.getByLabel("Name", { exact: true }).fill(workflowName);
  await page.getByLabel("Description", { exact: true }).fill("Tags new customers and tells me.");
  assert.equal(await page.getByLabel("Object", { exact: true }).inputValue(), "contact");
  assert.equal(await page.getByLabel("When", { exact: true }).inputValue(), "record.created");

  await page.getByRole("button", { name: "Add condition" }).click();
  await page.getByLabel("Condition 1 field").selectOption({ label: "Lifecycle stage" });
  // Only the operators that fit a select field are offered.
  const operators = (await page.getByLabel("Condition 1 operator").locator("option").allTextContents()).map((t) =>
    t.trim(),
  );
  assert.deepEqual(operators, ["is", "is not", "is any of", "is none of", "is empty", "is not empty"]);
  await page.getByLabel("Condition 1 operator").selectOption({ label: "is" });
  await page.getByLabel("Condition 1 value").selectOption({ label: "Customer" });

  await page.getByLabel("Add action").selectOption({ label: "Add tag" });
  await page.getByLabel("Tag", { exact: true }).fill("vip");
  await page.getByLabel("Add action").selectOption({ label: "Notify a member" });
  const steps = page.getByTestId("action-card");
  assert.equal(await steps.count(), 2);
  const notify = steps.nth(1);
  assert.equal(await notify.getByRole("heading").textContent(), "2. Notify a member");
  // "Notify" starts at the signed-in member.
  assert.equal(await notify.getByLabel("Notify", { exact: true }).inputValue(), owner.userId);
  await notify.getByLabel("Message", { exact: true }).fill("New customer {{record.firstName}} {{record.lastName}}");
  await screenshot(page, "builder-filled");

  const created = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/bff/workflows"));
  await page.getByRole("button", { name: "Create workflow" }).click();
  assert.equal((await created).status(), 201);
  await page.waitForURL(/\/workflows\/wf_[^/]+$/);
  ids.workflow = new URL(page.url()).pathname.split("/").pop();
  await page.getByRole("heading", { name: workflowName, level: 1 }).waitFor();
  await page.getByText("Off", { exact: true }).waitFor();

  // What the API stored is what the form showed.
  const stored = await api("GET", `/api/v1/workflows/${ids.workflow}`);
  assert.equal(stored.status, 200);
  assert.deepEqual(
    {
      object: stored.body.object,
      trigger: stored.body.trigger,
      conditions: stored.body.conditions,
      actions: stored.body.actions,
      active: stored.body.active,
      version: stored.body.version,
    },
    {
      object: "contact",
      trigger: { type: "record.created" },
      conditions: { match: "all", rules: [{ field: "lifecycleStage", operator: "equals", value: "customer" }] },
      actions: [
        { type: "add_tag", tag: "vip" },
        {
          type: "notify",
          recipient: { kind: "user", userId: owner.userId },
          message: "New customer {{record.firstName}} {{record.lastName}}",
          email: false,
        },
      ],
      active: false,
      version: 1,
    },
  );

  await page.getByRole("button", { name: "Activate" }).click();
  await page.getByText("Active", { exact: true }).waitFor();
  assert.equal((await api("GET", `/api/v1/workflows/${ids.workflow}`)).body.active, true);
});

test("a contact created through the API runs it: succeeded with its steps, tagged, and the bell shows the message", async () => {
  const [made, other] = await Promise.all([
    api("POST", "/api/v1/contacts", { body: { ...customer, lifecycleStage: "customer" } }),
    api("POST", "/api/v1/contacts", { body: { ...prospect, lifecycleStage: "lead" } }),
  ]);
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(other.status, 201, JSON.stringify(other.body));
  ids.contact = made.body.id;
  ids.prospect = other.body.id;

  // The history, filtered to succeeded runs, shows exactly the customer's run.
  const succeededRows = page.getByTestId("run-row");
  await reloadUntil(
    page,
    `/workflows/${ids.workflow}/runs?status=succeeded`,
    async () => (await succeededRows.count()) > 0,
    "the run's success",
  );
  assert.equal(await succeededRows.count(), 1);
  const row = succeededRows.first();
  assert.equal((await row.locator("td").first().textContent()).trim(), "Succeeded");
  assert.equal((await row.locator("td").nth(2).textContent()).trim(), "contact.created");
  assert.equal(await row.getByRole("link", { name: "Open contact" }).getAttribute("href"), `/contacts/${ids.contact}`);
  await screenshot(page, "runs");

  await row.getByRole("link", { name: /details$/ }).click();
  await page.waitForURL(/\/runs\/wfx_/);
  ids.execution = new URL(page.url()).pathname.split("/").pop();
  await page
    .getByRole("heading", { name: /^Run of / })
    .getByText("Succeeded")
    .waitFor();
  const stepCards = page.getByTestId("run-step");
  assert.equal(await stepCards.count(), 2);
  assert.deepEqual(
    (await stepCards.locator("h3").allTextContents()).map((t) => t.trim()),
    ["1. Add tag", "2. Notify a member"],
  );
  for (const card of await stepCards.all())
    assert.equal((await card.locator("span").first().textContent()).trim(), "Succeeded");
  await screenshot(page, "run-detail");

  // The contact has the tag; the one that did not meet the condition does not.
  await page.goto(url(`/contacts/${ids.contact}`), { waitUntil: "networkidle" });
  assert.deepEqual(
    (await page.getByRole("list", { name: "Tags" }).getByRole("listitem").allTextContents()).map((t) => t.trim()),
    ["vip"],
  );
  const prospectTags = (await api("GET", `/api/v1/contacts/${ids.prospect}`)).body.tags;
  assert.deepEqual(prospectTags, []);

  // The bell: one unread, the message with a link to the contact, then marked read.
  const bell = page.getByRole("button", { name: "Notifications, 1 unread" });
  await bell.waitFor();
  assert.equal((await bell.textContent()).trim(), "1");
  await bell.click();
  const dialog = page.getByRole("dialog", { name: "Notifications" });
  const items = dialog.getByTestId("notification");
  await items.first().waitFor();
  assert.equal(await items.count(), 1);
  assert.equal(
    (await items.first().locator("p").textContent()).trim(),
    `Unread: New customer ${customer.firstName} ${customer.lastName}`,
  );
  assert.equal(
    await items.first().getByRole("link", { name: "Open contact" }).getAttribute("href"),
    `/contacts/${ids.contact}`,
  );
  await screenshot(page, "bell");
  await dialog.getByRole("button", { name: "Mark all read" }).click();
  await page.getByRole("button", { name: "Notifications", exact: true }).waitFor();
  assert.equal(await items.first().getByRole("button", { name: "Mark read" }).count(), 0);
  await page.keyboard.press("Escape");
  const unread = await api("GET", "/api/v1/notifications?unread=true");
  assert.equal(unread.body.unreadCount, 0);
});

test("a refusal from the API is shown at the control that wrote it; a saved change says its version", async () => {
  await page.goto(url(`/workflows/${ids.workflow}`), { waitUntil: "networkidle" });
  await page.getByLabel("When", { exact: true }).selectOption({ label: "On a schedule" });
  const cron = page.getByLabel("Cron expression", { exact: true });
  await cron.fill("61 25 * * *");
  // What the API itself says about that expression, asked directly.
  const direct = await api("PATCH", `/api/v1/workflows/${ids.workflow}`, {
    body: {
      trigger: { type: "schedule", cron: "61 25 * * *", timeZone: await page.getByLabel("Time zone").inputValue() },
    },
  });
  assert.equal(direct.status, 422);
  const refusal = direct.body.errors.find((e) => e.path === "body.trigger.cron");
  assert.ok(refusal, JSON.stringify(direct.body));

  const patched = page.waitForResponse((r) => r.request().method() === "PATCH");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  assert.equal((await patched).status(), 422);
  // That refusal is the point here; the browser logs it as a failed load.
  await page.waitForTimeout(100);
  const logged = pageErrors.findIndex((message) => message.includes("status of 422"));
  if (logged !== -1) pageErrors.splice(logged, 1);
  await page.getByRole("alert").filter({ hasText: "shown at the fields below" }).waitFor();
  assert.equal(await cron.getAttribute("aria-invalid"), "true");
  const describedBy = (await cron.getAttribute("aria-describedby")).split(" ");
  const errorId = describedBy.find((id) => id.endsWith("-error"));
  assert.equal((await page.locator(`[id="${errorId}"]`).textContent()).trim(), refusal.message);
  await screenshot(page, "refused-at-field");
  // Still version 1: nothing was saved.
  assert.equal((await api("GET", `/api/v1/workflows/${ids.workflow}`)).body.version, 1);

  // Back to the saved trigger (a fresh page), change the tag: version 2.
  await page.goto(url(`/workflows/${ids.workflow}`), { waitUntil: "networkidle" });
  await page.getByLabel("Tag", { exact: true }).fill("customer-vip");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "Saved as version 2" }).first().waitFor();
  await page.getByText("Version 2", { exact: true }).waitFor();
  await page.getByRole("link", { name: "Versions" }).click();
  await page.waitForURL(url(`/workflows/${ids.workflow}/versions`));
  assert.deepEqual(
    (await page.getByTestId("version-row").locator("td:first-child").allTextContents()).map((t) => t.trim()),
    ["v2 (current)", "v1"],
  );
  assert.deepEqual(
    (await page.getByTestId("version-row").locator("td:nth-child(3)").allTextContents()).map((t) => t.trim()),
    ["Olive Owner", "Olive Owner"],
  );
});

test("the list shows the workflow with its trigger in words and its runs", async () => {
  await page.goto(url("/workflows"));
  const row = page.getByTestId("workflow-row");
  assert.equal(await row.count(), 1);
  const cells = (await row.locator("td").allTextContents()).map((t) => t.trim());
  assert.equal(
    await row.getByRole("link", { name: workflowName, exact: true }).getAttribute("href"),
    `/workflows/${ids.workflow}`,
  );
  assert.equal((await row.locator("td").first().locator("p").textContent()).trim(), "Tags new customers and tells me.");
  assert.deepEqual(cells.slice(1, 2), ["contacts"]);
  assert.equal(cells[2], "When a contact is created");
  assert.equal(await row.getByRole("switch", { name: `Active: ${workflowName}` }).isChecked(), true);
  assert.deepEqual(cells.slice(4, 6), ["1", "0"]);
});

test("Run now runs the saved version on a picked contact, conditions aside, and the history says so", async () => {
  await page.goto(url(`/workflows/${ids.workflow}`), { waitUntil: "networkidle" });
  await page.getByRole("button", { name: "Run now" }).click();
  const dialog = page.getByRole("dialog", { name: `Run ${workflowName} now` });
  await dialog.waitFor();
  // The prospect (a lead, so the condition would not pass) is searched and picked.
  await dialog.getByLabel("Contact", { exact: true }).fill(prospect.lastName);
  await page.getByRole("option", { name: `${prospect.firstName} ${prospect.lastName}`, exact: true }).click();
  await dialog.getByRole("button", { name: "Run", exact: true }).click();
  await page.waitForURL(/\/runs\/wfx_/);
  await page
    .getByRole("heading", { name: /^Run of / })
    .getByText("Succeeded")
    .waitFor({ timeout: 60_000 });
  assert.equal((await page.locator("dt:has-text('Cause') + dd").textContent()).trim(), "Run now");
  assert.equal((await page.locator("dt:has-text('Version') + dd").textContent()).trim(), "2");
  assert.deepEqual(
    (await page.getByTestId("run-step").locator("h3").allTextContents()).map((t) => t.trim()),
    ["1. Add tag", "2. Notify a member"],
  );
  assert.deepEqual((await api("GET", `/api/v1/contacts/${ids.prospect}`)).body.tags, ["customer-vip"]);
  await page.reload({ waitUntil: "networkidle" });
  await page.getByRole("button", { name: "Notifications, 1 unread" }).waitFor();
});

test("a waiting run shows when it resumes and can be cancelled; a workflow can be deleted", async () => {
  // Made through the API: the builder is covered above; this is about the history.
  const made = await api("POST", "/api/v1/workflows", {
    body: {
      name: `Slow follow-up ${run}`,
      object: "contact",
      trigger: { type: "record.updated" },
      actions: [
        { type: "wait", mode: "duration", duration: { amount: 2, unit: "days" } },
        { type: "add_tag", tag: "followed-up" },
      ],
    },
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  ids.slow = made.body.id;
  const started = await api("POST", `/api/v1/workflows/${ids.slow}/run`, { body: { recordId: ids.contact } });
  assert.equal(started.status, 202, JSON.stringify(started.body));

  const rows = page.getByTestId("run-row");
  await reloadUntil(
    page,
    `/workflows/${ids.slow}/runs?status=waiting`,
    async () => (await rows.count()) > 0,
    "the wait",
  );
  assert.equal(await rows.count(), 1);
  const waiting = (await api("GET", `/api/v1/workflows/${ids.slow}/executions/${started.body.id}`)).body;
  assert.equal(waiting.status, "waiting");
  const resumes = await page.evaluate(
    (iso) => new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso)),
    waiting.resumeAt,
  );
  assert.equal((await rows.first().locator("td").nth(4).textContent()).trim(), `Resumes ${resumes}`);

  await rows
    .first()
    .getByRole("link", { name: /details$/ })
    .click();
  await page.waitForURL(url(`/workflows/${ids.slow}/runs/${started.body.id}`));
  assert.equal((await page.locator("dt:has-text('Resumes') + dd").textContent()).trim(), resumes);
  assert.deepEqual(
    (await page.getByTestId("run-step").locator("h3").allTextContents()).map((t) => t.trim()),
    ["1. Wait"],
  );
  await page.getByRole("button", { name: "Cancel run" }).click();
  const confirm = page.getByRole("dialog", { name: "Cancel this run?" });
  await confirm.getByRole("button", { name: "Cancel run" }).click();
  await page
    .getByRole("heading", { name: /^Run of / })
    .getByText("Cancelled")
    .waitFor();
  assert.equal(await page.getByRole("button", { name: "Cancel run" }).count(), 0);
  assert.equal(
    (await api("GET", `/api/v1/workflows/${ids.slow}/executions/${started.body.id}`)).body.status,
    "cancelled",
  );

  await page.getByRole("button", { name: "Delete" }).click();
  await page
    .getByRole("dialog", { name: `Delete Slow follow-up ${run}?` })
    .getByRole("button", { name: "Delete workflow" })
    .click();
  await page.waitForURL(url("/workflows"));
  assert.deepEqual(await page.getByTestId("workflow-row").getByRole("link").first().allTextContents(), [workflowName]);
  assert.equal((await api("GET", `/api/v1/workflows/${ids.slow}`)).status, 404);
});

test("another organization sees none of the first one's workflows, runs or notifications", async () => {
  const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await signInBrowser(other, stranger);
    const target = await other.newPage();
    await target.goto(url("/workflows"));
    await target.getByText("No workflows yet", { exact: true }).waitFor();
    assert.equal(await target.getByTestId("workflow-row").count(), 0);
    await target.getByRole("button", { name: "Notifications", exact: true }).waitFor();
    for (const pathname of [`/workflows/${ids.workflow}`, `/workflows/${ids.workflow}/runs/${ids.execution}`]) {
      const response = await target.goto(url(pathname));
      assert.equal(response.status(), 404, pathname);
    }
    const listed = await api("GET", "/api/v1/workflows", { token: stranger.accessToken });
    assert.deepEqual(listed.body.data, []);
  } finally {
    await other.close();
  }
});

test("every workflow page: first-load JS under 100 KB gzipped, no serious axe violations (light and dark), fits 375 px", async (t) => {
  const app = ["+layout.svelte", "(app)/+layout.svelte"];
  const layout = "(app)/workflows/[id]/+layout.svelte";
  const pages = [
    ["list", "/workflows", ["(app)/workflows/+page.svelte"]],
    ["new", "/workflows/new", ["(app)/workflows/new/+page.svelte"]],
    ["builder", `/workflows/${ids.workflow}`, [layout, "(app)/workflows/[id]/+page.svelte"]],
    ["runs", `/workflows/${ids.workflow}/runs`, [layout, "(app)/workflows/[id]/runs/+page.svelte"]],
    [
      "run",
      `/workflows/${ids.workflow}/runs/${ids.execution}`,
      [layout, "(app)/workflows/[id]/runs/[executionId]/+page.svelte"],
    ],
    ["versions", `/workflows/${ids.workflow}/versions`, [layout, "(app)/workflows/[id]/versions/+page.svelte"]],
  ];
  const problems = [];
  for (const [name, pathname, components] of pages) {
    const firstLoad = firstLoadJs([...app, ...components]);
    t.diagnostic(
      `JS ${pathname.replace(/wfx?_[^/]+/g, ":id")}: first load ${(firstLoad.gzipBytes / 1024).toFixed(1)} KB gzipped`,
    );
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

test("a reply workflow's conditions offer the reply's AI class and suggested action; other triggers do not", async () => {
  await page.goto(url("/workflows/new"), { waitUntil: "networkidle" });
  await page.getByLabel("Name", { exact: true }).fill(`Questions ${run}`);
  await page.getByRole("button", { name: "Add condition" }).click();
  const field = page.getByLabel("Condition 1 field");
  // A record-created workflow has no reply to test.
  assert.equal(await field.locator('optgroup[label="The reply"]').count(), 0);
  await page.getByLabel("When", { exact: true }).selectOption("email.replied");
  const offered = (await field.locator('optgroup[label="The reply"] option').allTextContents()).map((t) => t.trim());
  assert.deepEqual(offered, [
    "Reply class (rules)",
    "Reply class (AI)",
    "AI suggested action",
    "AI confidence (0-1)",
    "Reply subject",
    "Reply sender",
  ]);
  await field.selectOption({ label: "AI suggested action" });
  await page.getByLabel("Condition 1 operator").selectOption({ label: "is" });
  // Past the empty "choose" option: the engine's actions, in its order.
  const actions = await page
    .getByLabel("Condition 1 value")
    .locator("option")
    .evaluateAll((o) => o.map((x) => x.value).filter((value) => value !== ""));
  assert.deepEqual(actions, [
    "stop_sequence_create_task",
    "stop_sequence_mark_not_interested",
    "pause_sequence_answer_question",
    "pause_sequence_until",
    "unsubscribe_contact",
    "mark_email_invalid",
    "ignore_auto_reply",
    "enrol_referred_contact",
  ]);
  await page.getByLabel("Condition 1 value").selectOption("pause_sequence_answer_question");
  await page.getByLabel("Add action").selectOption({ label: "Add tag" });
  await page.getByLabel("Tag", { exact: true }).fill("answer-needed");
  await screenshot(page, "reply-conditions");
  const created = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/bff/workflows"));
  await page.getByRole("button", { name: "Create workflow" }).click();
  assert.equal((await created).status(), 201);
  await page.waitForURL(/\/workflows\/wf_[^/]+$/);
  const stored = await api("GET", `/api/v1/workflows/${new URL(page.url()).pathname.split("/").pop()}`);
  assert.deepEqual(
    [stored.body.trigger, stored.body.conditions],
    [
      { type: "email.replied" },
      {
        match: "all",
        rules: [
          { field: "reply.ai.suggestedAction.type", operator: "equals", value: "pause_sequence_answer_question" },
        ],
      },
    ],
  );
});

test("no page logged an error", () => {
  assert.deepEqual(pageErrors, []);
});
