// Data in and out of the dashboard (issue 5's screens) in Chromium against the real API under
// `wrangler dev` (ENVIRONMENT=development, so local webhook URLs are allowed) and the production
// build: a messy CSV imported through the UI (mapping, preview with the row's error, live
// progress, the error report), a filtered contact list exported, a webhook created, tested,
// delivered to a server this test runs and logged; a second tenant sees none of it. Then the
// new pages: first-load JS, axe (light and dark), 375 px.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import {
  artifactsDir,
  chromiumArgs,
  chromiumPath,
  firstLoadJs,
  requestJson,
  saveScreenshot,
  startStack,
  useColorScheme,
  sidewaysScrollProblem,
} from "./support.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const firstLoadBudgetBytes = 100 * 1024;
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const password = "correct horse battery staple";

/**
 * A BOM, semicolons, a quoted cell holding the delimiter and a line break, an unknown column,
 * a bad email (row 3) and an exact duplicate of row 2 (row 4, which then changes nothing).
 */
const messyCsv =
  "\uFEFFFirst Name;Last Name;E-mail;Job Title;Shoe size\r\n" +
  'Ada;Lovelace;ada@example.com;"Analyst;\nEngine";37\r\n' +
  "Grace;Hopper;grace@@example;Admiral;38\r\n" +
  'Ada;Lovelace;ada@example.com;"Analyst;\nEngine";37\r\n' +
  "Alan;Turing;alan@example.com;Codebreaker;44\r\n" +
  "Katherine;Johnson;katherine@example.com;Mathematician;39\r\n";

let stack;
let browser;
let context;
let page;
let owner;
let receiver;
const received = [];
const ids = {};
const pageErrors = [];

const api = (method, pathname, { token = owner?.accessToken, body } = {}) =>
  requestJson(stack.apiUrl, method, pathname, { token, body });

async function signUp(organizationName, email) {
  const result = await api("POST", "/api/v1/auth/signup", {
    token: null,
    body: { organizationName, name: "Data Person", email, password },
  });
  assert.equal(result.status, 201, JSON.stringify(result.body));
  return result.body;
}

async function signedInContext(session) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  await ctx.addCookies([
    {
      name: "crm_session",
      value: encodeURIComponent(
        JSON.stringify({ accessToken: session.accessToken, refreshToken: session.refreshToken }),
      ),
      url: stack.webUrl,
      httpOnly: true,
      sameSite: "Lax",
    },
  ]);
  return ctx;
}

/** RFC 4180 CSV (quoted fields with commas, quotes and line breaks) into rows of cells. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

async function download(target, trigger) {
  const [file] = await Promise.all([target.waitForEvent("download"), trigger()]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), "utf8") };
}

const screenshot = (target, name) => saveScreenshot(target, `data-${name}`);

const url = (pathname) => `${stack.webUrl}${pathname}`;

before(
  async () => {
    receiver = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        received.push({ url: request.url, headers: request.headers, body });
        if (request.url === "/gone") response.writeHead(410, { "content-type": "text/plain" }).end("gone for good");
        else response.writeHead(200, { "content-type": "text/plain" }).end("thanks, got it");
      });
    });
    await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    stack = await startStack();
    browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
    owner = await signUp(`Data Works ${run}`, `owner.${run}@example.com`);
    context = await signedInContext(owner);
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
  receiver?.close();
});

/** The select of a column in the mapping step. */
const fieldOf = (column) => page.getByLabel(`Field for column ${column}`, { exact: true });
const previewRow = (rowNumber) =>
  page.getByTestId("preview-row").filter({ has: page.locator("th", { hasText: new RegExp(`^${rowNumber}$`) }) });

test("a messy CSV imports through the UI: mapping, the row's error in the preview, progress, error report", async () => {
  await page.goto(url("/contacts"), { waitUntil: "networkidle" });
  await page.getByRole("link", { name: "Import", exact: true }).click();
  await page.waitForURL(url("/imports/new?object=contacts"));
  assert.equal(await page.getByLabel("Import into").inputValue(), "contacts");

  // The template names the object's fields.
  const template = await download(page, () =>
    page.getByRole("link", { name: "Download the contacts template" }).click(),
  );
  assert.equal(template.name, "contacts-template.csv");
  assert.match(parseCsv(template.text)[0].join(","), /^First name,Last name,.*Email/);

  await page.getByLabel("CSV file").setInputFiles({
    name: "messy-contacts.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(messyCsv, "utf8"),
  });
  await page.getByRole("button", { name: "Upload" }).click();
  await page.getByTestId("upload-summary").waitFor();
  assert.equal(
    (await page.getByTestId("upload-summary").textContent()).replace(/\s+/g, " ").trim(),
    "messy-contacts.csv into contacts: 5 columns, semicolon-separated, UTF-8 with BOM.",
  );

  // Suggested from the header names; the unknown column is left out.
  assert.deepEqual(
    await Promise.all(
      ["First Name", "Last Name", "E-mail", "Job Title", "Shoe size"].map((c) => fieldOf(c).inputValue()),
    ),
    ["firstName", "lastName", "email", "title", ""],
  );
  assert.equal(await page.getByLabel("When a row's email matches an existing contact").inputValue(), "email");

  // The preview: row 3's bad email at its cell, row 4 (a duplicate of row 2) unchanged.
  const summary = page.getByTestId("preview-summary");
  assert.equal(
    (await summary.textContent()).replace(/\s+/g, " ").trim(),
    "The first 5 rows: 3 to create, 0 to update, 1 unchanged, 1 with errors.",
  );
  const badCell = previewRow(3).locator("td[data-invalid]");
  assert.equal(await badCell.count(), 1);
  assert.equal((await badCell.textContent()).replace(/\s+/g, " ").trim(), "grace@@example Invalid email address");
  assert.equal((await previewRow(3).locator("td").first().textContent()).trim(), "Error");
  assert.equal((await previewRow(4).locator("td").first().textContent()).trim(), "No change");

  // The API refuses two columns on one field: said at the column.
  await fieldOf("Shoe size").selectOption("email");
  await page.getByText("Column E-mail is already mapped to email").waitFor();
  assert.equal(await fieldOf("Shoe size").getAttribute("aria-invalid"), "true");
  await screenshot(page, "import-mapping-refused");
  await fieldOf("Shoe size").selectOption("");
  await page.getByText("Column E-mail is already mapped to email").waitFor({ state: "detached" });
  await page.getByTestId("preview-summary").getByText("3 to create").waitFor();
  await screenshot(page, "import-preview");
  ids.newImportProblems = await pageProblems(page, "/imports/new (mapping step)");

  await page.getByRole("button", { name: "Start import" }).click();
  await page.waitForURL(/\/imports\/imp_[0-9a-z]+$/);
  ids.importId = new URL(page.url()).pathname.split("/").pop();
  await page.getByTestId("import-status").getByText("Completed").waitFor({ timeout: 60_000 });
  await page.getByRole("progressbar", { name: "File read" }).waitFor();
  assert.equal(await page.getByRole("progressbar", { name: "File read" }).getAttribute("aria-valuenow"), "100");
  const counts = {};
  for (const item of await page.getByTestId("import-counts").locator("div").all()) {
    counts[(await item.locator("dt").textContent()).trim()] = (await item.locator("dd").textContent()).trim();
  }
  assert.deepEqual(counts, { "Rows done": "5", Created: "3", Updated: "0", Unchanged: "1", Failed: "1" });
  await screenshot(page, "import-done");

  const report = await download(page, () => page.getByRole("link", { name: "Download error report" }).click());
  assert.deepEqual(parseCsv(report.text), [
    ["row", "column", "value", "message"],
    ["3", "E-mail", "grace@@example", "Invalid email address"],
  ]);

  // The contacts exist once each, the quoted line break kept.
  const listed = await api("GET", "/api/v1/contacts?q=example.com&limit=50");
  assert.deepEqual(listed.body.data.map((c) => `${c.firstName} ${c.lastName}`).sort(), [
    "Ada Lovelace",
    "Alan Turing",
    "Katherine Johnson",
  ]);
  assert.equal(listed.body.data.find((c) => c.firstName === "Ada").title, "Analyst;\nEngine");

  // The history lists it with its counts.
  await page.goto(url("/imports"));
  const row = page.getByTestId("import-row");
  assert.equal(await row.count(), 1);
  assert.deepEqual(
    (await row.locator("td").allTextContents()).slice(0, 7).map((text) => text.trim()),
    ["messy-contacts.csv", "contacts", "Completed", "3", "0", "1", "1"],
  );
});

test("a long import shows its progress as it runs and can be cancelled", async () => {
  const rows = Array.from({ length: 100_000 }, (_, i) => `Person${i},Bulk,bulk${i}@example.net`);
  await page.goto(url("/imports/new?object=contacts"));
  await page.getByLabel("CSV file").setInputFiles({
    name: "bulk.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`First name,Last name,Email\n${rows.join("\n")}\n`, "utf8"),
  });
  await page.getByRole("button", { name: "Upload" }).click();
  await page.getByTestId("preview-summary").getByText("10 to create").waitFor();
  await page.getByRole("button", { name: "Start import" }).click();
  await page.waitForURL(/\/imports\/imp_[0-9a-z]+$/);

  // The bar moves without a reload: some of the file read, not all of it.
  const bar = page.getByRole("progressbar", { name: "Importing" });
  await page.waitForFunction(
    () => {
      const now = Number(document.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow"));
      return now > 0 && now < 100;
    },
    null,
    { timeout: 60_000 },
  );
  assert.ok(Number(await bar.getAttribute("aria-valuenow")) < 100);
  await screenshot(page, "import-running");
  await page.getByRole("button", { name: "Cancel import" }).click();
  await page.getByTestId("import-status").getByText("Cancelled").waitFor();
  await page.getByText("Import cancelled: rows already written stay.").waitFor();
  assert.equal(await page.getByRole("button", { name: "Cancel import" }).count(), 0);

  // Rows written before the cancel stay; at most the chunk (500 rows) already under way lands after it.
  const id = new URL(page.url()).pathname.split("/").pop();
  const atCancel = (await api("GET", `/api/v1/imports/${id}`)).body;
  assert.equal(atCancel.status, "cancelled");
  await new Promise((resolve) => setTimeout(resolve, 4000));
  const settled = (await api("GET", `/api/v1/imports/${id}`)).body;
  assert.equal(settled.status, "cancelled");
  assert.ok(settled.progress.created - atCancel.progress.created <= 500, JSON.stringify([atCancel, settled]));
  assert.ok(settled.progress.created < rows.length, JSON.stringify(settled.progress));
  await new Promise((resolve) => setTimeout(resolve, 2000));
  assert.deepEqual((await api("GET", `/api/v1/imports/${id}`)).body.progress, settled.progress);
  // The page reads on for a few seconds after the cancel, so it ends on the same numbers.
  const createdShown = page.getByTestId("import-counts").locator("div", { hasText: "Created" }).locator("dd");
  await page.waitForFunction(
    ([element, expected]) => element.textContent.trim() === expected,
    [await createdShown.elementHandle(), new Intl.NumberFormat("en").format(settled.progress.created)],
  );
});

test("Export CSV downloads the contact list as filtered and sorted", async () => {
  for (const [firstName, lastName, tags] of [
    ["Dorothy", "Vaughan", ["export"]],
    ["Mary", "Jackson", ["export", "nasa"]],
    ["Ben", "Franklin", []],
  ]) {
    const result = await api("POST", "/api/v1/contacts", {
      body: { firstName, lastName, tags, emails: [{ address: `${firstName.toLowerCase()}@example.org` }] },
    });
    assert.equal(result.status, 201, JSON.stringify(result.body));
  }
  await page.goto(url("/contacts?tag=export&sort=name"), { waitUntil: "networkidle" });
  assert.equal(await page.locator("table tbody tr").count(), 2);
  const exported = await download(page, () => page.getByRole("link", { name: "Export CSV" }).click());
  assert.match(exported.name, /^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
  const [header, ...rows] = parseCsv(exported.text);
  const column = (name) => header.indexOf(name);
  assert.ok(column("firstName") >= 0 && column("emails") >= 0 && column("tags") >= 0, header.join(","));
  assert.deepEqual(
    rows.map((row) => [row[column("firstName")], row[column("lastName")], row[column("emails")], row[column("tags")]]),
    [
      ["Mary", "Jackson", "mary@example.org", "export; nasa"],
      ["Dorothy", "Vaughan", "dorothy@example.org", "export"],
    ],
  );
});

/** Standard Webhooks: base64 HMAC-SHA256 of `id.timestamp.body` under the secret's bytes. */
function signatureFor(secret, id, timestamp, body) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

test("a webhook: refused URL at the field, secret shown once, test event delivered, signed and logged", async () => {
  await page.goto(url("/settings/webhooks"), { waitUntil: "networkidle" });
  await page.getByText("No webhooks yet").waitFor();
  await page.getByRole("button", { name: "New webhook" }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Endpoint URL").fill("ftp://127.0.0.1/hook");
  await dialog.getByLabel("Description").fill("Local receiver");
  await dialog.getByLabel("contact.created").check();
  await dialog.getByRole("button", { name: "Create webhook" }).click();
  await dialog.getByText("Must be an http(s) URL").waitFor();
  assert.equal(await dialog.getByLabel("Endpoint URL").getAttribute("aria-invalid"), "true");
  await screenshot(page, "webhook-refused");

  const hookUrl = `http://127.0.0.1:${receiver.address().port}/crm-events`;
  await dialog.getByLabel("Endpoint URL").fill(hookUrl);
  await dialog.getByRole("button", { name: "Create webhook" }).click();
  const secretBox = page.getByRole("dialog", { name: "Webhook created" }).getByLabel("Signing secret");
  const secret = await secretBox.inputValue();
  assert.match(secret, /^whsec_[A-Za-z0-9+/=]+$/);
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByRole("dialog").waitFor({ state: "detached" });
  // Shown once: neither the list nor a reload has it.
  assert.equal(await page.getByText(secret).count(), 0);
  await page.reload();
  assert.equal((await page.content()).includes(secret), false);
  const listed = page.getByTestId("webhook-row");
  assert.equal(await listed.count(), 1);
  assert.deepEqual(
    (await listed.locator("td").allTextContents()).slice(0, 3).map((text) => text.replace(/\s+/g, " ").trim()),
    [`${hookUrl} Local receiver`, "contact.created", "Active"],
  );

  await listed.getByRole("link", { name: hookUrl }).click();
  await page.waitForURL(/\/settings\/webhooks\/wh_[0-9a-z]+$/);
  ids.webhookId = new URL(page.url()).pathname.split("/").pop();
  await page.getByText("Nothing sent yet.").waitFor();
  await page.getByRole("button", { name: "Send test event" }).click();

  // The receiver gets it, signed with the secret shown at creation.
  const deadline = Date.now() + 30_000;
  while (received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(received.length, 1);
  const [hit] = received;
  assert.equal(hit.url, "/crm-events");
  assert.equal(JSON.parse(hit.body).type, "webhook.test");
  assert.equal(
    hit.headers["webhook-signature"],
    signatureFor(secret, hit.headers["webhook-id"], hit.headers["webhook-timestamp"], hit.body),
  );

  // The log follows by itself until the delivery has an outcome.
  const delivery = page.getByTestId("delivery-row");
  await delivery.getByText("Succeeded").waitFor({ timeout: 15_000 });
  assert.deepEqual(
    (await delivery.locator("td").allTextContents()).slice(0, 4).map((text) => text.trim()),
    ["webhook.test", "Succeeded", "1", "200"],
  );
  await delivery.getByRole("button", { name: /^Details of webhook\.test delivery/ }).click();
  const attempt = page.getByRole("list", { name: "Attempts" }).getByRole("listitem");
  assert.equal(await attempt.count(), 1);
  assert.match((await attempt.textContent()).replace(/\s+/g, " "), /Attempt 1 \(manual\) Succeeded 200 \d+ ms/);
  await attempt.getByText("thanks, got it").waitFor();

  // Redeliver sends it again with the same webhook-id; the log shows the second attempt.
  await page.getByRole("button", { name: "Redeliver" }).click();
  while (received.length < 2 && Date.now() < deadline + 15_000)
    await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(received[1].headers["webhook-id"], hit.headers["webhook-id"]);
  await page.waitForFunction(
    () => document.querySelector('[data-testid="delivery-row"] td:nth-child(3)')?.textContent.trim() === "2",
  );
  await screenshot(page, "webhook-log");

  // Rotating shows the new secret once and says until when the old one still signs.
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Rotate secret" }).click();
  const rotatedBox = page.getByRole("dialog", { name: "New signing secret" }).getByLabel("Signing secret");
  const rotated = await rotatedBox.inputValue();
  assert.match(rotated, /^whsec_/);
  assert.notEqual(rotated, secret);
  await page
    .getByRole("dialog", { name: "New signing secret" })
    .getByText(/^The old secret keeps signing until .+; then only this one does\.$/)
    .waitFor();
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByTestId("secret-overlap").waitFor();

  // Edit: the form opens with the webhook's values; the change shows on the page.
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  const edit = page.getByRole("dialog", { name: "Edit webhook" });
  assert.equal(await edit.getByLabel("Endpoint URL").inputValue(), hookUrl);
  assert.equal(await edit.getByLabel("contact.created").isChecked(), true);
  await edit.getByLabel("Description").fill("Local receiver, all events");
  await edit.getByLabel("All events, including ones added later").check();
  await edit.getByRole("button", { name: "Save" }).click();
  await edit.waitFor({ state: "detached" });
  await page.getByText("Local receiver, all events").waitFor();
  assert.equal((await api("GET", `/api/v1/webhooks/${ids.webhookId}`)).body.eventTypes.join(), "*");
});

test("a second tenant sees none of the first tenant's imports or webhooks", async () => {
  const other = await signUp(`Other Co ${run}`, `other.${run}@example.com`);
  const ctx = await signedInContext(other);
  const tab = await ctx.newPage();
  try {
    await tab.goto(url("/imports"));
    await tab.getByText("No imports yet").waitFor();
    assert.equal(await tab.getByTestId("import-row").count(), 0);
    await tab.goto(url("/settings/webhooks"));
    await tab.getByText("No webhooks yet").waitFor();
    assert.equal(await tab.getByTestId("webhook-row").count(), 0);
    assert.equal((await tab.goto(url(`/imports/${ids.importId}`))).status(), 404);
    assert.equal((await tab.goto(url(`/settings/webhooks/${ids.webhookId}`))).status(), 404);
    const errorReport = await tab.evaluate(
      async (id) => (await fetch(`/bff/imports/${id}/errors`)).status,
      ids.importId,
    );
    assert.equal(errorReport, 404);
  } finally {
    await ctx.close();
  }
});

/** axe (no serious or critical), then at 375 px: no sideways scroll, and dark-mode contrast. */
async function pageProblems(tab, label) {
  const problems = [];
  await tab.evaluate(axeSource);
  const violations = await tab.evaluate(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  for (const violation of violations) problems.push(`${label}: ${violation}`);
  const size = tab.viewportSize();
  const sideways = await sidewaysScrollProblem(tab, `${label}: `);
  if (sideways) problems.push(sideways);
  await tab.screenshot({
    path: path.join(artifactsDir, `data-${label.replace(/[^a-z0-9]+/gi, "-")}-375px.png`),
    fullPage: true,
  });
  await useColorScheme(tab, "dark");
  const dark = await tab.evaluate(async () => {
    const result = await globalThis.axe.run(document, { runOnly: ["color-contrast"] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  for (const violation of dark) problems.push(`${label} (dark): ${violation}`);
  await useColorScheme(tab, "light");
  await tab.setViewportSize(size);
  return problems;
}

test("the new pages: first-load JS under 100 KB gzipped, no serious axe violations, fit 375 px", async (t) => {
  const app = ["+layout.svelte", "(app)/+layout.svelte"];
  const settings = "(app)/settings/+layout.svelte";
  const pages = [
    ["imports", "/imports", ["(app)/imports/+page.svelte"]],
    ["import-new", "/imports/new?object=contacts", ["(app)/imports/new/+page.svelte"]],
    ["import", `/imports/${ids.importId}`, ["(app)/imports/[id]/+page.svelte"]],
    ["webhooks", "/settings/webhooks", [settings, "(app)/settings/webhooks/+page.svelte"]],
    ["webhook", `/settings/webhooks/${ids.webhookId}`, [settings, "(app)/settings/webhooks/[id]/+page.svelte"]],
  ];
  const problems = [...(ids.newImportProblems ?? [])];
  const tab = await context.newPage();
  try {
    for (const [name, pathname, components] of pages) {
      const firstLoad = firstLoadJs([...app, ...components]);
      t.diagnostic(`JS ${pathname}: first load ${(firstLoad.gzipBytes / 1024).toFixed(1)} KB gzipped`);
      if (firstLoad.roots !== 2 + app.length + components.length)
        problems.push(`${pathname}: a layout or page is missing from the build manifest`);
      if (firstLoad.gzipBytes >= firstLoadBudgetBytes)
        problems.push(`${pathname}: first-load JS ${(firstLoad.gzipBytes / 1024).toFixed(1)} KB gzipped`);
      await tab.goto(url(pathname), { waitUntil: "networkidle" });
      if (name === "webhook")
        await tab
          .getByRole("button", { name: /^Details of / })
          .first()
          .click();
      problems.push(...(await pageProblems(tab, pathname)));
      await screenshot(tab, name);
    }
  } finally {
    await tab.close();
  }
  assert.deepEqual(problems, []);
});

test("deleting a webhook asks first, then the list is empty again", async () => {
  await page.goto(url(`/settings/webhooks/${ids.webhookId}`));
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const confirm = page.getByRole("dialog", { name: "Delete this webhook?" });
  await confirm.getByRole("button", { name: "Delete webhook" }).click();
  await page.waitForURL(url("/settings/webhooks"));
  await page.getByText("No webhooks yet").waitFor();
  assert.equal((await api("GET", `/api/v1/webhooks/${ids.webhookId}`)).status, 404);
});

test("a receiver answering 410 fails the delivery at once: the log and the list say so", async () => {
  const hookUrl = `http://127.0.0.1:${receiver.address().port}/gone`;
  const created = await api("POST", "/api/v1/webhooks", { body: { url: hookUrl, eventTypes: ["deal.won"] } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await page.goto(url(`/settings/webhooks/${created.body.id}`));
  await page.getByRole("button", { name: "Send test event" }).click();
  const delivery = page.getByTestId("delivery-row");
  await delivery.getByText("Failed").waitFor({ timeout: 15_000 });
  assert.deepEqual(
    (await delivery.locator("td").allTextContents()).slice(0, 4).map((text) => text.trim()),
    ["webhook.test", "Failed", "1", "410"],
  );
  await delivery.getByRole("button", { name: /^Details of / }).click();
  const attempt = page.getByRole("list", { name: "Attempts" }).getByRole("listitem");
  assert.match((await attempt.textContent()).replace(/\s+/g, " "), /Attempt 1 \(manual\) Failed 410 /);
  await attempt.getByText("gone for good").waitFor();
  await page.goto(url("/settings/webhooks"));
  const row = page.getByTestId("webhook-row");
  assert.deepEqual(
    (await row.locator("td").allTextContents()).slice(0, 3).map((text) => text.replace(/\s+/g, " ").trim()),
    [hookUrl, "deal.won", "Failing (1 in a row)"],
  );
});

test("no page logged an error besides the two refusals the tests asked for", () => {
  // The browser logs each 422 it was meant to get (the mapping clash, the ftp:// URL) as a failed load.
  const refusals = ["/imports/new?object=contacts", "/settings/webhooks"].map((pathname) =>
    pageErrors.findIndex((message) => message.startsWith(url(pathname)) && message.includes("status of 422")),
  );
  assert.ok(
    refusals.every((index) => index !== -1),
    pageErrors.join("\n"),
  );
  assert.deepEqual(
    pageErrors.filter((_, index) => !refusals.includes(index)),
    [],
  );
});
