// Record detail pages in Chromium against the real API: inline edits (standard and custom
// fields) with the API's refusals shown at the field, notes, tasks, a deal's stage change, lead
// conversion, the duplicate merge screen, and another organization's record being not found.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import {
  artifactsDir,
  chromiumArgs,
  chromiumPath,
  saveScreenshot,
  sidewaysOverflowAt,
  startStack,
} from "./support.mjs";

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const password = "correct horse battery staple";
const owner = { name: "Ada Lovelace", email: `detail.${run}@example.com`, organizationName: `Analytical ${run}` };
const stranger = { name: "Eve Other", email: `eve.${run}@example.com`, organizationName: `Elsewhere ${run}` };
/** The budget for any page's first-load JavaScript, gzipped. */
const firstLoadBudgetBytes = 100 * 1024;

let stack;
let browser;
let context;
let page;
let token;
/** Records made through the API for the tests below. */
const seed = {};
const pageErrors = [];

async function api(method, pathname, { body, bearer = token } = {}) {
  const headers = { accept: "application/json" };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${stack.apiUrl}/api/v1${pathname}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function created(method, pathname, body) {
  const result = await api(method, pathname, { body });
  assert.ok(
    result.status === 201 || result.status === 200,
    `${pathname}: ${result.status} ${JSON.stringify(result.body)}`,
  );
  return result.body;
}

async function signIn(target, person) {
  await target.goto(`${stack.webUrl}/login`);
  await target.getByLabel("Email", { exact: true }).fill(person.email);
  await target.getByLabel("Password", { exact: true }).fill(password);
  await target.getByRole("button", { name: "Sign in", exact: true }).click();
  await target.waitForURL(`${stack.webUrl}/`);
}

const screenshot = saveScreenshot;

/** Screenshots at 1280 and 375 px wide; at 375 the page must not scroll sideways. */
async function screenshotBothWidths(target, name) {
  await screenshot(target, `${name}-1280`);
  const { overflow, culprits } = await sidewaysOverflowAt(target, 375);
  await screenshot(target, `${name}-375`);
  await target.setViewportSize({ width: 1280, height: 800 });
  assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow}px at 375px (${culprits.join("; ")})`);
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A field's value button: its name is "Edit <Label>: <value shown>". */
function fieldButton(label) {
  return page.getByRole("button", { name: new RegExp(`^Edit ${escapeRegExp(label)}(: |$)`) });
}

/** The value a field shows, once it has settled on `expected` (or what it shows after 5 s). */
async function fieldValue(label, expected) {
  const value = fieldButton(label).getByTestId("field-value");
  if (expected !== undefined)
    await value
      .filter({ hasText: new RegExp(`^${escapeRegExp(expected)}$`) })
      .waitFor({ timeout: 5_000 })
      .catch(() => {});
  return (await value.textContent()).trim();
}

async function editField(label, value) {
  await fieldButton(label).click();
  const input = page.getByRole("textbox", { name: label, exact: true });
  await input.fill(value);
  const saved = page.waitForResponse((r) => r.request().method() === "PATCH" && r.url().includes("/bff/"));
  await input.press("Enter");
  return saved;
}

/** The message under a field: what its value button's aria-describedby points at. */
async function fieldError(label) {
  const button = fieldButton(label);
  await page.waitForFunction(
    (pattern) =>
      [...document.querySelectorAll("button[aria-label]")].some(
        (b) => new RegExp(pattern).test(b.getAttribute("aria-label")) && b.getAttribute("aria-describedby"),
      ),
    `^Edit ${escapeRegExp(label)}(: |$)`,
    { timeout: 5_000 },
  );
  const describedBy = await button.getAttribute("aria-describedby");
  assert.ok(describedBy, `${label} shows no error`);
  return (await page.locator(`[id="${describedBy}"]`).textContent()).trim();
}

const timelineItems = () => page.getByTestId("timeline").locator(":scope > li");

before(
  async () => {
    stack = await startStack();
    const signup = await api("POST", "/auth/signup", { body: { ...owner, password }, bearer: null });
    assert.equal(signup.status, 201, JSON.stringify(signup.body));
    token = signup.body.accessToken;

    seed.seats = await created("POST", "/custom-fields", {
      objectType: "contact",
      key: "seats",
      label: "Seats",
      type: "number",
    });
    seed.company = await created("POST", "/companies", { name: "Acme Rockets", domain: `acme-${run}.example` });
    seed.contact = await created("POST", "/contacts", {
      firstName: "Ada",
      lastName: "Lovelace",
      emails: [{ address: `ada.${run}@acme.example` }],
      companyId: seed.company.id,
      lifecycleStage: "lead",
    });
    const pipelines = await api("GET", "/pipelines");
    seed.pipeline = pipelines.body.data[0];
    seed.deal = await created("POST", "/deals", {
      name: "Acme annual plan",
      value: 12000,
      currency: "USD",
      pipelineId: seed.pipeline.id,
      stageId: seed.pipeline.stages[0].id,
      contactId: seed.contact.id,
      companyId: seed.company.id,
    });

    browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    await signIn(page, owner);
  },
  { timeout: 300_000 },
);

after(async () => {
  await browser?.close().catch(() => {});
  await stack?.stop();
});

test("a contact's page shows its company link and its deals, within the JavaScript budget", async (t) => {
  await page.goto(`${stack.webUrl}/contacts/${seed.contact.id}`);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Ada Lovelace");
  const companyLink = page.getByRole("region", { name: "Details" }).getByRole("link", { name: "Acme Rockets" });
  assert.equal(await companyLink.getAttribute("href"), `/companies/${seed.company.id}`);
  const deals = page.getByRole("list", { name: "Deals" }).getByRole("listitem");
  assert.equal(await deals.count(), 1);
  assert.equal(await deals.getByRole("link").textContent(), "Acme annual plan");
  assert.equal(await deals.locator("p").textContent(), `$12,000 · ${seed.pipeline.stages[0].name} · Active`);
  assert.equal(await fieldValue("Lifecycle stage"), "Lead");
  assert.equal(await fieldValue("Seats"), "Empty");
  await screenshotBothWidths(page, "contact-detail");

  // A fresh context (same session) so no script comes from the cache of earlier pages.
  const cold = await browser.newContext({ storageState: await context.storageState() });
  try {
    const coldPage = await cold.newPage();
    const scripts = [];
    coldPage.on("response", (response) => {
      if (response.request().resourceType() === "script") scripts.push(response.body());
    });
    await coldPage.goto(`${stack.webUrl}/contacts/${seed.contact.id}`, { waitUntil: "networkidle" });
    const bodies = await Promise.all(scripts);
    const gzipBytes = bodies.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0);
    const rawBytes = bodies.reduce((sum, body) => sum + body.length, 0);
    const figure = { page: "/contacts/[id]", files: bodies.length, rawBytes, gzipBytes };
    writeFileSync(path.join(artifactsDir, "first-load-js-contact-detail.json"), `${JSON.stringify(figure, null, 2)}\n`);
    t.diagnostic(
      `first-load JS of a contact page: ${bodies.length} files, ${(rawBytes / 1024).toFixed(1)} KB raw, ${(gzipBytes / 1024).toFixed(1)} KB gzipped`,
    );
    assert.ok(bodies.length > 0, "the page loaded no JavaScript");
    assert.ok(gzipBytes < firstLoadBudgetBytes, `first-load JS is ${gzipBytes} bytes gzipped`);
  } finally {
    await cold.close();
  }
});

test("inline edits of a standard and a custom field persist; reloading and the API agree", async () => {
  const title = await editField("Job title", "Chief Analyst");
  assert.equal((await title).status(), 200);
  await page.getByText("Saved", { exact: true }).first().waitFor();
  assert.equal(await fieldValue("Job title", "Chief Analyst"), "Chief Analyst");

  const seats = await editField("Seats", "42");
  assert.equal((await seats).status(), 200);
  assert.equal(await fieldValue("Seats", "42"), "42");

  await page.reload();
  assert.equal(await fieldValue("Job title", "Chief Analyst"), "Chief Analyst");
  assert.equal(await fieldValue("Seats", "42"), "42");
  const stored = await api("GET", `/contacts/${seed.contact.id}`);
  assert.equal(stored.body.title, "Chief Analyst");
  assert.deepEqual(stored.body.customFields, { seats: 42 });
  // The timeline names the changed fields as the page labels them.
  assert.deepEqual((await page.getByTestId("timeline-summary").allTextContents()).slice(0, 2), [
    "Updated Seats",
    "Updated Job title",
  ]);

  // F2 on the value opens the editor; Escape abandons the edit without asking the API.
  await fieldButton("Job title").focus();
  await page.keyboard.press("F2");
  await page.getByRole("textbox", { name: "Job title", exact: true }).fill("Something else");
  await page.getByRole("textbox", { name: "Job title", exact: true }).press("Escape");
  assert.equal(await fieldValue("Job title", "Chief Analyst"), "Chief Analyst");
  assert.equal(
    await page.evaluate(() => document.activeElement?.getAttribute("aria-label")),
    "Edit Job title: Chief Analyst",
    "focus returns to the value",
  );
});

test("values the API refuses show its message at the field and the old value stays", async () => {
  const email = await editField("Email", "not-an-email");
  assert.equal((await email).status(), 422);
  assert.equal(await fieldError("Email"), "Invalid email address");
  assert.equal(await fieldValue("Email"), `ada.${run}@acme.example`);

  const seats = await editField("Seats", "lots");
  assert.equal((await seats).status(), 422);
  assert.equal(await fieldError("Seats"), "Must be a number");
  assert.equal(await fieldValue("Seats", "42"), "42");
  await screenshot(page, "contact-detail-field-errors");

  const stored = await api("GET", `/contacts/${seed.contact.id}`);
  assert.deepEqual(
    stored.body.emails.map((e) => e.address),
    [`ada.${run}@acme.example`],
  );
  assert.deepEqual(stored.body.customFields, { seats: 42 });
});

test("a company is linked through the search picker, and tags are added and removed", async () => {
  const contact = await created("POST", "/contacts", { firstName: "Linus", lastName: "Pickers" });
  await page.goto(`${stack.webUrl}/contacts/${contact.id}`);
  await fieldButton("Company").click();
  const searched = page.waitForResponse((r) => r.url().includes("/bff/companies?") && r.url().includes("q=Acme"));
  await page.getByRole("combobox", { name: "Company", exact: true }).fill("Acme");
  await searched;
  await page.getByRole("listbox").getByRole("option", { name: "Acme Rockets" }).click();
  const link = page.getByRole("region", { name: "Details" }).getByRole("link", { name: "Acme Rockets" });
  await link.waitFor();
  assert.equal(await link.getAttribute("href"), `/companies/${seed.company.id}`);
  assert.equal((await api("GET", `/contacts/${contact.id}`)).body.companyId, seed.company.id);

  const tagBox = page.getByRole("textbox", { name: "Tags" });
  await tagBox.fill("vip");
  await tagBox.press("Enter");
  await page.getByRole("button", { name: "Remove tag vip" }).waitFor();
  await tagBox.fill("renewal");
  await tagBox.press("Enter");
  await page.getByRole("button", { name: "Remove tag renewal" }).waitFor();
  assert.deepEqual(
    await page
      .getByRole("list", { name: "Tags" })
      .getByRole("listitem")
      .allTextContents()
      .then((t) => t.map((s) => s.trim())),
    ["vip", "renewal"],
  );
  assert.deepEqual((await api("GET", `/contacts/${contact.id}`)).body.tags, ["vip", "renewal"]);
  await page.getByRole("button", { name: "Remove tag vip" }).click();
  await page.getByRole("button", { name: "Remove tag vip" }).waitFor({ state: "detached" });
  assert.deepEqual((await api("GET", `/contacts/${contact.id}`)).body.tags, ["renewal"]);

  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "contact-detail-dark");
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(`${stack.webUrl}/contacts/${seed.contact.id}`);
});

test("a note appears at the top of the timeline at once; a logged call follows it", async () => {
  await page
    .getByRole("textbox", { name: "Note", exact: true })
    .fill("Called about the renewal; wants a quote by Friday.");
  await page.getByRole("button", { name: "Add note" }).click();
  const first = timelineItems().first();
  await first.filter({ hasText: "Called about the renewal" }).waitFor();
  assert.equal(await first.getAttribute("data-type"), "note");
  assert.equal(
    await first.getByTestId("timeline-body").textContent(),
    "Called about the renewal; wants a quote by Friday.",
  );
  assert.equal(await page.getByRole("textbox", { name: "Note", exact: true }).inputValue(), "");
  // It was stored: a fresh load shows it first too.
  await page.reload();
  assert.equal(
    await timelineItems().first().getByTestId("timeline-body").textContent(),
    "Called about the renewal; wants a quote by Friday.",
  );

  await page.getByRole("tab", { name: "Log activity" }).click();
  await page.getByLabel("Subject").fill("Renewal call");
  await page.getByLabel("Outcome").fill("Quote requested");
  await page.getByRole("button", { name: "Log activity" }).click();
  await timelineItems().first().filter({ hasText: "Call: Renewal call" }).waitFor();
  assert.equal(await timelineItems().first().getByTestId("timeline-body").textContent(), "Outcome: Quote requested");
});

test("a task added for the record can be completed from the page", async () => {
  await page.getByRole("tab", { name: "Task" }).click();
  await page.getByLabel("Task title").fill("Send the quote");
  await page.getByRole("button", { name: "Add task" }).click();
  const tasks = page.getByTestId("record-tasks").getByRole("listitem");
  await tasks.filter({ hasText: "Send the quote" }).waitFor();
  assert.equal(await tasks.count(), 1);
  assert.match(await tasks.textContent(), /Open/);

  await page.getByRole("button", { name: "Complete Send the quote" }).click();
  await tasks.filter({ hasText: "Done" }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Complete Send the quote" }).count(), 0);
  const stored = await api("GET", `/tasks?recordType=contact&recordId=${seed.contact.id}`);
  assert.equal(stored.body.data.length, 1);
  assert.equal(stored.body.data[0].title, "Send the quote");
  assert.equal(stored.body.data[0].status, "done");
  await timelineItems().filter({ hasText: "Task completed: Send the quote" }).waitFor();
});

test("a deal's stage change through the select shows in its stage history and timeline", async () => {
  const target = seed.pipeline.stages[2];
  await page.goto(`${stack.webUrl}/deals/${seed.deal.id}`);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Acme annual plan");
  assert.equal(await fieldValue("Stage"), seed.pipeline.stages[0].name);
  assert.equal(await page.getByTestId("stage-history").getByRole("listitem").count(), 1);

  await fieldButton("Stage").click();
  const moved = page.waitForResponse((r) => r.url().endsWith(`/bff/deals/${seed.deal.id}/move-stage`));
  await page.getByRole("combobox", { name: "Stage", exact: true }).selectOption({ label: target.name });
  assert.equal((await moved).status(), 200);
  const history = page.getByTestId("stage-history").getByRole("listitem");
  await history.first().filter({ hasText: target.name }).waitFor();
  assert.equal(await history.count(), 2);
  assert.equal(await fieldValue("Stage", target.name), target.name);
  await timelineItems()
    .filter({ hasText: `Moved to ${target.name}` })
    .first()
    .waitFor();
  const stored = await api("GET", `/deals/${seed.deal.id}`);
  assert.equal(stored.body.stageId, target.id);
  await screenshotBothWidths(page, "deal-detail");

  await page.goto(`${stack.webUrl}/companies/${seed.company.id}`);
  // Ada, and Linus whose company was set through the picker above.
  assert.deepEqual((await page.getByRole("list", { name: "Contacts" }).getByRole("link").allTextContents()).sort(), [
    "Ada Lovelace",
    "Linus Pickers",
  ]);
  assert.equal(await page.getByRole("list", { name: "Deals" }).getByRole("link").textContent(), "Acme annual plan");
  await screenshotBothWidths(page, "company-detail");

  const task = (await api("GET", `/tasks?recordType=contact&recordId=${seed.contact.id}`)).body.data[0];
  await page.goto(`${stack.webUrl}/tasks/${task.id}`);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Send the quote");
  assert.equal(
    await page.getByRole("link", { name: "Ada Lovelace" }).getAttribute("href"),
    `/contacts/${seed.contact.id}`,
  );
  await screenshotBothWidths(page, "task-detail");
});

test("converting a lead creates a contact, company and deal, and the lead links to them", async () => {
  const lead = await created("POST", "/leads", {
    firstName: "Grace",
    lastName: "Hopper",
    email: `grace.${run}@cobol.example`,
    companyName: "Cobol Inc",
    companyDomain: `cobol-${run}.example`,
    estimatedValue: 5000,
  });
  await page.goto(`${stack.webUrl}/leads/${lead.id}`);
  // Measured with the lead score panel (loaded after the page) in place: its table is the widest part.
  await page.getByTestId("lead-score-value").waitFor();
  await screenshotBothWidths(page, "lead-detail");
  await page.getByRole("button", { name: "Convert", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Convert lead" });
  assert.equal(await dialog.getByLabel("Deal name").inputValue(), "Cobol Inc");
  assert.equal(await dialog.getByLabel("Deal value").inputValue(), "5000");
  await dialog.getByLabel("Deal name").fill("Cobol pilot");

  // The API refuses a lower-case currency: its message shows at the field.
  await dialog.getByLabel("Currency").fill("eur");
  await dialog.getByRole("button", { name: "Convert lead" }).click();
  await dialog.getByRole("alert").waitFor();
  const currency = dialog.getByLabel("Currency");
  assert.equal(await currency.getAttribute("aria-invalid"), "true");
  const errorId = (await currency.getAttribute("aria-describedby")).split(" ").find((id) => id.endsWith("-error"));
  assert.equal(await dialog.locator(`[id="${errorId}"]`).textContent(), "Must be a 3-letter ISO 4217 code such as USD");
  assert.equal((await api("GET", `/leads/${lead.id}`)).body.convertedAt, null);
  await screenshot(page, "lead-convert-refused");

  await currency.fill("EUR");
  await dialog.getByRole("button", { name: "Convert lead" }).click();
  const result = dialog.getByTestId("conversion-result");
  await result.waitFor();
  await screenshot(page, "lead-converted-dialog");

  const stored = (await api("GET", `/leads/${lead.id}`)).body;
  assert.ok(stored.convertedAt);
  const [contact, company, deal] = await Promise.all([
    api("GET", `/contacts/${stored.convertedContactId}`),
    api("GET", `/companies/${stored.convertedCompanyId}`),
    api("GET", `/deals/${stored.convertedDealId}`),
  ]);
  assert.equal(`${contact.body.firstName} ${contact.body.lastName}`, "Grace Hopper");
  assert.equal(company.body.name, "Cobol Inc");
  assert.equal(deal.body.name, "Cobol pilot");
  assert.equal(deal.body.currency, "EUR");
  assert.equal(deal.body.value, 5000);
  assert.equal(deal.body.contactId, stored.convertedContactId);
  assert.equal(
    await result.getByRole("link", { name: "Grace Hopper" }).getAttribute("href"),
    `/contacts/${contact.body.id}`,
  );
  assert.equal(
    await result.getByRole("link", { name: "Cobol Inc" }).getAttribute("href"),
    `/companies/${company.body.id}`,
  );
  assert.equal(await result.getByRole("link", { name: "Cobol pilot" }).getAttribute("href"), `/deals/${deal.body.id}`);

  await dialog.getByRole("button", { name: "Done" }).click();
  const links = page.getByTestId("converted-links");
  assert.equal(
    await links.getByRole("link", { name: "Grace Hopper" }).getAttribute("href"),
    `/contacts/${contact.body.id}`,
  );
  assert.equal(
    await links.getByRole("link", { name: "Cobol Inc" }).getAttribute("href"),
    `/companies/${company.body.id}`,
  );
  assert.equal(await links.getByRole("link", { name: "Cobol pilot" }).getAttribute("href"), `/deals/${deal.body.id}`);
  assert.equal(await page.getByRole("button", { name: "Convert", exact: true }).count(), 0);
  assert.match(await page.getByTestId("record-badges").textContent(), /Converted/);
  await screenshot(page, "lead-detail-converted");
});

test("merging two contacts keeps one whose timeline has both notes; the other is gone", async () => {
  const first = await created("POST", "/contacts", {
    firstName: "Charles",
    lastName: "Babbage",
    emails: [{ address: `charles.${run}@engine.example` }],
    title: "Inventor",
  });
  const second = await created("POST", "/contacts", {
    firstName: "Charles",
    lastName: "Babbage",
    emails: [{ address: `cb.${run}@difference.example` }],
    phones: [{ number: "+44 20 7946 0018" }],
  });
  await created("POST", "/notes", { recordType: "contact", recordId: first.id, body: "Note on the first record" });
  await created("POST", "/notes", { recordType: "contact", recordId: second.id, body: "Note on the duplicate" });

  await page.goto(`${stack.webUrl}/contacts/${first.id}`);
  await page.getByRole("button", { name: "Merge with…" }).click();
  const dialog = page.getByRole("dialog", { name: "Merge with another contact" });
  const searched = page.waitForResponse((r) => r.url().includes("/bff/contacts?") && r.url().includes("q=Babbage"));
  await dialog.getByRole("combobox", { name: "Duplicate contact" }).fill("Babbage");
  await searched;
  // The contact itself is not offered: only the duplicate matches.
  const options = page.getByRole("listbox").getByRole("option");
  await page.waitForFunction(() => document.querySelectorAll("[role=listbox] [role=option]").length === 1, null, {
    timeout: 5_000,
  });
  assert.equal(await options.count(), 1);
  assert.equal((await options.first().textContent()).trim(), "Charles Babbage");
  await options.first().click();
  await page.waitForURL(`${stack.webUrl}/contacts/merge?ids=${first.id},${second.id}`);

  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Merge contacts");
  const differing = page.locator("tr[data-differs]");
  const differingFields = await differing
    .locator("th")
    .evaluateAll((cells) => cells.map((c) => c.firstChild.textContent.trim()));
  assert.deepEqual(differingFields, ["Emails", "Phones", "Job title"]);
  assert.equal(await page.getByRole("radio").first().isChecked(), true);
  await screenshotBothWidths(page, "contact-merge");
  await page.getByRole("button", { name: "Merge into Charles Babbage" }).click();
  await page
    .getByRole("dialog", { name: "Merge these contacts?" })
    .getByRole("button", { name: "Merge", exact: true })
    .click();
  await page.waitForURL(`${stack.webUrl}/contacts/${first.id}`);

  const bodies = await page.getByTestId("timeline-body").allTextContents();
  assert.ok(bodies.includes("Note on the first record"), bodies.join(" | "));
  assert.ok(bodies.includes("Note on the duplicate"), bodies.join(" | "));
  assert.equal(await fieldValue("Phone"), "+44 20 7946 0018");
  assert.equal((await api("GET", `/contacts/${second.id}`)).status, 404);

  await page.goto(`${stack.webUrl}/contacts/${second.id}`);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Page not found");
  assert.match(await page.locator("body").textContent(), /Contact not found/);
});

test("the timeline loads older items on demand", async () => {
  const contact = await created("POST", "/contacts", { firstName: "Many", lastName: "Notes" });
  for (let i = 1; i <= 22; i += 1) {
    await created("POST", "/notes", { recordType: "contact", recordId: contact.id, body: `Note number ${i}` });
  }
  await page.goto(`${stack.webUrl}/contacts/${contact.id}`);
  assert.equal(await timelineItems().count(), 20);
  assert.equal(await timelineItems().first().getByTestId("timeline-body").textContent(), "Note number 22");
  await page.getByRole("button", { name: "Load more" }).click();
  // 22 notes and the record's creation.
  await timelineItems().nth(22).waitFor();
  assert.equal(await timelineItems().count(), 23);
  assert.equal(await timelineItems().last().getAttribute("data-type"), "record_created");
  assert.equal(await page.getByRole("button", { name: "Load more" }).count(), 0);
});

test("deleting a record asks first, then returns to its list and the API no longer has it", async () => {
  const company = await created("POST", "/companies", { name: "Short Lived Ltd" });
  await page.goto(`${stack.webUrl}/companies/${company.id}`);
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Delete company?" });
  await dialog.getByRole("button", { name: "Delete company" }).click();
  await page.waitForURL(`${stack.webUrl}/companies`);
  assert.equal((await api("GET", `/companies/${company.id}`)).status, 404);
});

test("the contact page has no serious accessibility violations", async () => {
  await page.goto(`${stack.webUrl}/contacts/${seed.contact.id}`);
  const require = createRequire(import.meta.url);
  await page.evaluate(readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
  const violations = await page.evaluate(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(violations, []);
});

test("another organization opening the first one's record URLs gets a not-found page", async () => {
  const signup = await api("POST", "/auth/signup", { body: { ...stranger, password }, bearer: null });
  assert.equal(signup.status, 201, JSON.stringify(signup.body));
  const otherContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const other = await otherContext.newPage();
    await signIn(other, stranger);
    for (const [object, id, label] of [
      ["contacts", seed.contact.id, "Contact"],
      ["deals", seed.deal.id, "Deal"],
      ["companies", seed.company.id, "Company"],
    ]) {
      const response = await other.goto(`${stack.webUrl}/${object}/${id}`);
      assert.equal(response.status(), 404);
      assert.equal(await other.getByRole("heading", { level: 1 }).textContent(), "Page not found");
      assert.match(await other.locator("body").textContent(), new RegExp(`${label} not found`));
      assert.doesNotMatch(await other.content(), /Ada Lovelace|Acme/);
    }
    await screenshot(other, "record-detail-other-tenant-404");
  } finally {
    await otherContext.close();
  }
});

test("no page logged an error", () => {
  assert.deepEqual(pageErrors, []);
});
