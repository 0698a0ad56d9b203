// Outreach in the dashboard, in Chromium against the real API (`wrangler dev` with its queue and
// Cron ticks run through /__scheduled) and the production build: write a two-step sequence with
// an A/B step through the editor (a token from the picker, an unknown token refused at its
// control), preview it for a contact, enroll contacts by hand and by filter, pause one, run a
// tick and read the outbox (one sent, one skipped as do-not-contact) and the stats; mailboxes
// with write-only credentials and a transport's refusal; the suppression list; a second
// organization seeing none of it; axe, 375 px and first-load JS on every outreach page.
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
const sequenceName = `Trial follow-up ${run}`;
const people = {
  ada: { firstName: "Ada", lastName: `Lovelace${run}`, email: `ada.${run}@example.com`, lifecycleStage: "customer" },
  grace: { firstName: "Grace", lastName: `Hopper${run}`, email: `grace.${run}@example.com`, lifecycleStage: "lead" },
  linus: {
    firstName: "Linus",
    lastName: `Pauling${run}`,
    email: `linus.${run}@example.com`,
    lifecycleStage: "customer",
    doNotContact: true,
  },
};
const fullName = (who) => `${people[who].firstName} ${people[who].lastName}`;

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
  const me = await api("GET", "/api/v1/me", { token: session.body.accessToken });
  return {
    accessToken: session.body.accessToken,
    refreshToken: session.body.refreshToken,
    userId: me.body.user.id,
    email,
  };
}

const signInBrowser = (ctx, session) => signInWithSession(ctx, stack.webUrl, session);

const screenshot = (target, name) => saveScreenshot(target, `outreach-${name}`);

const url = (pathname) => `${stack.webUrl}${pathname}`;
const cellTexts = async (row) => (await row.locator("td").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());

/** Reloads `pathname` until `ready()` holds (the queue sends in the background). */
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
    stack = await startStack({ apiArgs: ["--test-scheduled"] });
    [owner, stranger] = await Promise.all([
      signUp(`Outreach Works ${run}`, "Olive Owner", `olive.${run}@example.com`),
      signUp(`Other Org ${run}`, "Sam Stranger", `sam.${run}@example.com`),
    ]);
    for (const [who, person] of Object.entries(people)) {
      const { email, ...fields } = person;
      const made = await api("POST", "/api/v1/contacts", { body: { ...fields, emails: [{ address: email }] } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      ids[who] = made.body.id;
    }
    browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: "UTC" });
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

test("an empty sequence list says what to do; `c` opens the editor", async () => {
  await page.goto(url("/sequences"), { waitUntil: "networkidle" });
  await page.getByRole("heading", { name: "Sequences", level: 1 }).waitFor();
  await page.getByText("No sequences yet", { exact: true }).waitFor();
  await page.keyboard.press("c");
  await page.waitForURL(url("/sequences/new"));
  await page.getByRole("heading", { name: "New sequence", level: 1 }).waitFor();
});

test("write a sequence: a token from the picker, an A/B step, an unknown token refused at its control", async () => {
  await page.getByLabel("Name", { exact: true }).fill(sequenceName);
  assert.equal(await page.getByLabel("Time zone for contacts without one").inputValue(), "UTC");
  // Any day, any hour: the tick below sends at once.
  await page.getByRole("checkbox", { name: "Sat" }).check();
  await page.getByRole("checkbox", { name: "Sun" }).check();
  await page.getByLabel("From", { exact: true }).fill("00:00");
  await page.getByLabel("Until", { exact: true }).fill("23:59");

  await page.getByLabel("Step 1 variant A subject").fill("Hello ");
  await page.getByLabel("Step 1 variant A subject").press("End");
  await page.getByRole("button", { name: "Insert token into step 1 variant A" }).click();
  await page.getByRole("menuitem", { name: /^First name/ }).click();
  assert.equal(await page.getByLabel("Step 1 variant A subject").inputValue(), "Hello {{contact.firstName|there}}");
  await page.getByLabel("Step 1 variant A body").fill("Hi {{contact.firstName|there}}, how is the trial going?");

  await page.getByRole("button", { name: "Add step" }).click();
  assert.equal(await page.getByTestId("step-card").count(), 2);
  assert.equal(await page.getByLabel("Step 2 wait", { exact: true }).inputValue(), "2");
  assert.equal(await page.getByLabel("Step 2 wait unit").inputValue(), "business_days");
  await page.getByLabel("Step 2 variant A subject").fill("Following up");
  await page.getByLabel("Step 2 variant A body").fill("Any news, {{contact.nickname}}?");
  await page.getByRole("button", { name: "Add variant" }).nth(1).click();
  // The new variant starts as a copy, and the shares split evenly.
  assert.equal(await page.getByLabel("Variant A share (%)").inputValue(), "50");
  assert.equal(await page.getByLabel("Variant B share (%)").inputValue(), "50");
  await page.getByLabel("Step 2 variant B subject").fill("Quick question");
  await page.getByLabel("Step 2 variant B body").fill("Shall we talk, {{contact.firstName|there}}?");

  await page.getByRole("button", { name: "Create sequence" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "shown at the fields below" });
  await alert.waitFor();
  assert.equal(
    (await alert.textContent()).trim(),
    "The sequence has invalid fields. One problem is shown at the fields below.",
  );
  const refused = page.getByLabel("Step 2 variant A body");
  assert.equal(await refused.getAttribute("aria-invalid"), "true");
  const describedBy = await refused.getAttribute("aria-describedby");
  assert.equal(
    (await page.locator(`#${describedBy}`).textContent()).trim(),
    "Unknown token {{contact.nickname}}: use one of contact.firstName, contact.lastName, contact.fullName, contact.email, contact.title, contact.phone, contact.timeZone",
  );
  // Focus goes to the control at fault.
  assert.equal(await refused.evaluate((element) => element === document.activeElement), true);
  await screenshot(page, "editor-refused");

  await refused.fill("Any news, {{contact.firstName|there}}?");
  await page.getByRole("button", { name: "Create sequence" }).click();
  await page.waitForURL(/\/sequences\/seq_/);
  ids.sequence = new URL(page.url()).pathname.split("/")[2];
  await page.getByRole("heading", { name: sequenceName, level: 1 }).waitFor();
  const saved = (await api("GET", `/api/v1/sequences/${ids.sequence}`)).body;
  assert.deepEqual(saved.sendWindow, { days: [1, 2, 3, 4, 5, 6, 7], start: "00:00", end: "23:59" });
  assert.deepEqual(
    saved.steps.map((step) => [
      step.position,
      step.delayAmount,
      step.delayUnit,
      step.variants.map((v) => [v.key, v.weight]),
    ]),
    [
      [1, 0, "hours", [["A", 100]]],
      [
        2,
        2,
        "business_days",
        [
          ["A", 50],
          ["B", 50],
        ],
      ],
    ],
  );
  ids.step1 = saved.steps[0].id;
});

test("the preview renders every step and variant for a picked contact", async () => {
  await page.getByLabel("Preview contact").fill(people.ada.lastName);
  await page.getByRole("option", { name: fullName("ada"), exact: true }).click();
  const steps = page.getByTestId("preview-step");
  await steps.first().waitFor();
  assert.deepEqual(
    (await steps.allTextContents()).map((t) => t.replace(/\s+/g, " ").trim()),
    [
      "Step 1 · Email Subject: Hello Ada Hi Ada, how is the trial going?",
      "Step 2 · Email · variant A Subject: Following up Any news, Ada?",
      "Step 2 · Email · variant B Subject: Quick question Shall we talk, Ada?",
    ],
  );
});

test("saving again keeps the step ids; a change is saved in place", async () => {
  await page.getByLabel("Description", { exact: true }).fill("After a trial starts.");
  assert.equal((await page.getByRole("status").filter({ hasText: "Unsaved changes" }).count()) > 0, true);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page
    .getByRole("status")
    .filter({ hasText: /^Saved$/ })
    .waitFor();
  const saved = (await api("GET", `/api/v1/sequences/${ids.sequence}`)).body;
  assert.equal(saved.description, "After a trial starts.");
  assert.equal(saved.steps[0].id, ids.step1);
});

test("enroll by hand and by filter (count and sample first); pause one", async () => {
  await page.getByRole("link", { name: "Enrollments" }).click();
  await page.waitForURL(url(`/sequences/${ids.sequence}/enrollments`));
  await page.getByText("Nobody is enrolled yet", { exact: true }).waitFor();

  await page.getByRole("button", { name: "Enroll contacts" }).click();
  const dialog = page.getByRole("dialog", { name: "Enroll contacts" });
  for (const who of ["ada", "linus"]) {
    await dialog.getByLabel("Find a contact to enroll").fill(people[who].lastName);
    await page.getByRole("option", { name: fullName(who), exact: true }).click();
  }
  assert.deepEqual(
    (await dialog.getByRole("list", { name: "Contacts to enroll" }).getByRole("listitem").allTextContents()).map((t) =>
      t.trim(),
    ),
    [fullName("ada"), fullName("linus")],
  );
  await dialog.getByRole("button", { name: "Enroll 2 contacts" }).click();
  const results = dialog.getByRole("list", { name: "Enrollment results" }).getByRole("listitem");
  await results.first().waitFor();
  assert.deepEqual(
    (await results.allTextContents()).map((t) => t.replace(/\s+/g, " ").trim()),
    [`${fullName("ada")} Enrolled`, `${fullName("linus")} Enrolled`],
  );
  await dialog.getByRole("button", { name: "Done" }).click();
  await page.getByTestId("enrollment-row").nth(1).waitFor();

  await page.getByRole("button", { name: "Enroll by filter" }).click();
  const filter = page.getByRole("dialog", { name: "Enroll by filter" });
  await filter.getByLabel("Lifecycle stage").selectOption("lead");
  assert.equal(await filter.getByRole("button", { name: "Enroll", exact: true }).isDisabled(), true);
  await filter.getByRole("button", { name: "Preview matches" }).click();
  await filter.getByTestId("filter-count").waitFor();
  assert.equal(
    (await filter.getByTestId("filter-count").textContent()).replace(/\s+/g, " ").trim(),
    "1 contact matches",
  );
  assert.deepEqual(
    (
      await filter.getByRole("list", { name: "Sample of matching contacts" }).getByRole("listitem").allTextContents()
    ).map((t) => t.trim()),
    [`${fullName("grace")} · ${people.grace.email}`],
  );
  // A changed filter must be previewed again before anything is enrolled.
  await filter.getByLabel("Lifecycle stage").selectOption("customer");
  await filter.getByText("The filters changed: preview again before enrolling.").waitFor();
  await filter.getByLabel("Lifecycle stage").selectOption("lead");
  await filter.getByRole("button", { name: "Preview matches" }).click();
  await filter.getByRole("button", { name: "Enroll 1 contact" }).click();
  await filter.getByRole("status").filter({ hasText: "Enrolled 1 contact." }).waitFor();
  await filter.getByRole("button", { name: "Done" }).click();

  const rows = page.getByTestId("enrollment-row");
  await rows.nth(2).waitFor();
  await page.getByRole("link", { name: fullName("grace") }).waitFor();
  const grace = rows.filter({ has: page.getByRole("link", { name: fullName("grace") }) });
  await grace.getByRole("button", { name: `Pause ${fullName("grace")}` }).click();
  await grace.getByRole("button", { name: `Resume ${fullName("grace")}` }).waitFor();
  const cells = await cellTexts(grace);
  assert.deepEqual(cells.slice(1, 4), ["Paused", "0 of 2", "Step 1, on resume"]);
  const stored = (await api("GET", `/api/v1/sequences/${ids.sequence}/enrollments?status=paused`)).body.data;
  assert.deepEqual(
    stored.map((e) => e.contactId),
    [ids.grace],
  );
});

test("a Cron tick sends step 1: the outbox shows the send, the do-not-contact skip and the events", async () => {
  const tick = await fetch(`${stack.apiUrl}/__scheduled?cron=${encodeURIComponent("* * * * *")}`);
  assert.equal(tick.status, 200);
  const rows = page.getByTestId("outbox-row");
  await reloadUntil(page, "/outbox", async () => (await rows.count()) === 2, "two outbox rows");
  await page.getByRole("heading", { name: "Outbox", level: 1 }).waitFor();
  const byAddress = {};
  for (const row of await rows.all()) {
    const cells = await cellTexts(row);
    byAddress[cells[0]] = cells;
  }
  assert.deepEqual(byAddress[people.ada.email].slice(1, 5), [
    "Hello Ada",
    `${sequenceName} · step 1 · A`,
    "Sent",
    "No opens yet",
  ]);
  assert.deepEqual(byAddress[people.linus.email].slice(1, 5), [
    "Email message",
    `${sequenceName} · step 1`,
    "Skipped Do not contact",
    "—",
  ]);

  await page.getByRole("button", { name: "Hello Ada" }).click();
  const dialog = page.getByRole("dialog", { name: "Hello Ada" });
  await dialog.getByRole("list", { name: "Message events" }).waitFor();
  assert.equal((await dialog.locator("dt:has-text('To') + dd").textContent()).trim(), people.ada.email);
  // The plain-text part as sent: the step's body, then the unsubscribe footer real sends carry.
  assert.match(
    (await dialog.locator("pre").first().textContent()).trim(),
    new RegExp(
      `^Hi Ada, how is the trial going\\?\\n\\n--\\nUnsubscribe: ${stack.apiUrl.replace(/[.]/g, "\\.")}/t/u/\\S+$`,
    ),
  );
  const events = await dialog.getByRole("list", { name: "Message events" }).getByRole("listitem").allTextContents();
  assert.deepEqual(
    events.map((t) =>
      t
        .replace(/\s+/g, " ")
        .trim()
        .replace(/^.*?(AM|PM) /, ""),
    ),
    ["Sent"],
  );
  await screenshot(page, "outbox-message");
  await page.keyboard.press("Escape");

  // Filtered to skipped messages, only the do-not-contact one stays.
  await page.getByLabel("Status").selectOption("skipped");
  await page.waitForURL(url("/outbox?status=skipped"));
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  assert.equal((await cellTexts(rows.first()))[0], people.linus.email);

  // The enrollments: Ada moved to step 2, Linus left with the reason, Grace still paused.
  await page.goto(url(`/sequences/${ids.sequence}/enrollments`), { waitUntil: "networkidle" });
  const enrollment = (who) =>
    page.getByTestId("enrollment-row").filter({ has: page.getByRole("link", { name: fullName(who) }) });
  await enrollment("ada").waitFor();
  assert.deepEqual((await cellTexts(enrollment("ada"))).slice(1, 3), ["Active", "1 of 2"]);
  assert.match((await cellTexts(enrollment("ada")))[3], /^Step 2, /);
  assert.deepEqual((await cellTexts(enrollment("linus"))).slice(1, 4), ["Exited Do not contact", "0 of 2", "—"]);
  assert.deepEqual((await cellTexts(enrollment("grace"))).slice(1, 3), ["Paused", "0 of 2"]);

  await page.getByRole("link", { name: "Stats" }).click();
  await page.waitForURL(url(`/sequences/${ids.sequence}/stats`));
  const step1 = page.getByTestId("stats-step").first();
  await step1.waitFor();
  assert.deepEqual(
    (await step1.locator("th, td").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim()),
    ["Step 1 · Email", "1", "0", "0", "0", "0", "0", "1", "0"],
  );
});

test("mailboxes: a refused field, credentials saved and never shown, a transport's error shown on a test send", async () => {
  await page.goto(url("/settings/mailboxes"), { waitUntil: "networkidle" });
  await page.getByText("No mailboxes yet", { exact: true }).waitFor();
  await page.getByRole("button", { name: "New mailbox" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New mailbox" });
  await dialog.getByLabel("Name", { exact: true }).fill("Sales");
  await dialog.getByLabel("From address").fill(`sales.${run}@example.com`);
  assert.equal(await dialog.getByLabel("Transport").inputValue(), "smtp");
  await dialog.getByLabel("Password", { exact: true }).fill("app-password-1");
  await dialog.getByRole("button", { name: "Add mailbox" }).click();
  const host = dialog.getByLabel("Host", { exact: true });
  await dialog.locator("[aria-invalid='true']").first().waitFor();
  assert.equal(await host.getAttribute("aria-invalid"), "true");
  assert.equal(
    (await dialog.locator(`#${await host.getAttribute("aria-describedby")}`).textContent()).trim(),
    "An SMTP mailbox needs the server's host",
  );
  // Nothing listens on port 9 here: the SMTP connection is refused.
  await host.fill("127.0.0.1");
  await dialog.getByLabel("Port", { exact: true }).fill("9");
  await dialog.getByLabel("Security", { exact: true }).selectOption("none");
  await dialog.getByLabel("Username", { exact: true }).fill("sales");
  await dialog.getByRole("button", { name: "Add mailbox" }).click();
  await dialog.waitFor({ state: "detached" });

  const row = page.getByTestId("mailbox-row");
  await row.first().waitFor();
  assert.deepEqual(await cellTexts(row.first()), [
    "Sales Default",
    `sales.${run}@example.com`,
    "SMTP · 127.0.0.1:9",
    "Saved (hidden)",
    "200",
    "Send test Edit Delete",
  ]);
  const listed = (await api("GET", "/api/v1/mailboxes")).body.data[0];
  assert.equal(listed.hasCredentials, true);
  assert.equal(JSON.stringify(listed).includes("app-password-1"), false);

  await page.getByRole("button", { name: "Edit Sales" }).click();
  const edit = page.getByRole("dialog", { name: "Edit Sales" });
  assert.equal(await edit.getByLabel("Password", { exact: true }).inputValue(), "");
  await edit.getByText("Saved and hidden. Leave empty to keep it.").waitFor();
  await edit.getByLabel("Most sends per day").fill("150");
  await edit.getByRole("button", { name: "Save" }).click();
  await edit.waitFor({ state: "detached" });
  assert.equal((await cellTexts(row.first()))[4], "150");
  assert.equal((await api("GET", "/api/v1/mailboxes")).body.data[0].hasCredentials, true);

  await page.getByRole("button", { name: "Send test from Sales" }).click();
  const tester = page.getByRole("dialog", { name: "Send a test from Sales" });
  assert.equal(await tester.getByLabel("Send to").inputValue(), owner.email);
  await tester.getByRole("button", { name: "Send test" }).click();
  const refusal = tester.getByRole("alert");
  await refusal.waitFor({ timeout: 30_000 });
  const detail = (await api("POST", `/api/v1/mailboxes/${listed.id}/test`, { body: { to: owner.email } })).body;
  assert.equal(detail.status, 502);
  assert.equal((await refusal.textContent()).trim(), detail.detail);
  await tester.getByRole("button", { name: "Done" }).click();

  // A dev-outbox mailbox delivers its test into the CRM's own outbox.
  await page.getByRole("button", { name: "New mailbox" }).first().click();
  const dev = page.getByRole("dialog", { name: "New mailbox" });
  await dev.getByLabel("Name", { exact: true }).fill("Try-outs");
  await dev.getByLabel("From address").fill(`try.${run}@example.com`);
  await dev.getByLabel("Transport").selectOption("dev_outbox");
  await dev.getByRole("button", { name: "Add mailbox" }).click();
  await dev.waitFor({ state: "detached" });
  await page.getByRole("button", { name: "Send test from Try-outs" }).click();
  const devTest = page.getByRole("dialog", { name: "Send a test from Try-outs" });
  await devTest.getByRole("button", { name: "Send test" }).click();
  await devTest
    .getByRole("status")
    .filter({ hasText: `Sent to ${owner.email} through Try-outs.` })
    .waitFor();
  await screenshot(page, "mailboxes");
  await devTest.getByRole("button", { name: "Done" }).click();
});

test("suppressions: an invalid address refused at the field, add, look up, remove", async () => {
  await page.goto(url("/settings/suppressions"), { waitUntil: "networkidle" });
  await page.getByText("Nobody is suppressed", { exact: true }).waitFor();
  const field = page.getByLabel("Email address or phone number");
  await field.fill("not an address");
  await page.getByRole("button", { name: "Suppress" }).click();
  await page.locator("[aria-invalid='true']").waitFor();
  assert.equal(
    (await page.locator(`#${await field.getAttribute("aria-describedby")}`).textContent()).trim(),
    "An email address or an E.164 phone number (+14155550100)",
  );
  await field.fill(`Blocked.${run}@Example.com`);
  await page.getByRole("button", { name: "Suppress" }).click();
  const rows = page.getByTestId("suppression-row");
  await rows.first().waitFor();
  assert.deepEqual((await cellTexts(rows.first())).slice(0, 3), [`blocked.${run}@example.com`, "Added by hand", "You"]);

  await page.getByLabel("Look up an address").fill(`nobody.${run}@example.com`);
  await page.getByRole("button", { name: "Find" }).click();
  await page.getByText(`nobody.${run}@example.com is not suppressed`).waitFor();
  await page.getByLabel("Look up an address").fill(`blocked.${run}@example.com`);
  await page.getByRole("button", { name: "Find" }).click();
  await page.waitForURL(/address=blocked/);
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);

  await page.getByRole("button", { name: `Remove blocked.${run}@example.com` }).click();
  await page.getByText(`blocked.${run}@example.com is not suppressed`).waitFor();
  assert.deepEqual((await api("GET", "/api/v1/suppressions")).body.data, []);
});

test("another organization sees none of the first one's sequences, enrollments, messages or mailboxes", async () => {
  const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await signInBrowser(other, stranger);
    const target = await other.newPage();
    await target.goto(url("/sequences"));
    await target.getByText("No sequences yet", { exact: true }).waitFor();
    for (const pathname of [`/sequences/${ids.sequence}`, `/sequences/${ids.sequence}/enrollments`]) {
      const response = await target.goto(url(pathname));
      assert.equal(response.status(), 404, pathname);
    }
    await target.goto(url("/outbox"));
    await target.getByText("Nothing sent yet", { exact: true }).waitFor();
    assert.equal(await target.getByTestId("outbox-row").count(), 0);
    await target.goto(url("/settings/mailboxes"));
    await target.getByText("No mailboxes yet", { exact: true }).waitFor();
    assert.deepEqual((await api("GET", "/api/v1/outreach/messages", { token: stranger.accessToken })).body.data, []);
  } finally {
    await other.close();
  }
});

test("every outreach page: first-load JS under 100 KB gzipped, no serious axe violations (light and dark), fits 375 px", async (t) => {
  const app = ["+layout.svelte", "(app)/+layout.svelte"];
  const layout = "(app)/sequences/[id]/+layout.svelte";
  const settings = "(app)/settings/+layout.svelte";
  const pages = [
    ["list", "/sequences", ["(app)/sequences/+page.svelte"]],
    ["new", "/sequences/new", ["(app)/sequences/new/+page.svelte"]],
    ["editor", `/sequences/${ids.sequence}`, [layout, "(app)/sequences/[id]/+page.svelte"]],
    [
      "enrollments",
      `/sequences/${ids.sequence}/enrollments`,
      [layout, "(app)/sequences/[id]/enrollments/+page.svelte"],
    ],
    ["stats", `/sequences/${ids.sequence}/stats`, [layout, "(app)/sequences/[id]/stats/+page.svelte"]],
    ["outbox", "/outbox", ["(app)/outbox/+page.svelte"]],
    ["mailboxes", "/settings/mailboxes", [settings, "(app)/settings/mailboxes/+page.svelte"]],
    ["suppressions", "/settings/suppressions", [settings, "(app)/settings/suppressions/+page.svelte"]],
  ];
  const problems = [];
  for (const [name, pathname, components] of pages) {
    const firstLoad = firstLoadJs([...app, ...components]);
    t.diagnostic(
      `JS ${pathname.replace(/seq_[^/]+/g, ":id")}: first load ${(firstLoad.gzipBytes / 1024).toFixed(1)} KB gzipped`,
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

test("no page logged an error besides the refusals the tests asked for", () => {
  // The browser logs each refusal it was meant to get as a failed load: the unknown token, the
  // missing SMTP host, the SMTP server that refused the test, the invalid suppression address.
  const expected = [
    ["/sequences/new", "status of 422"],
    ["/settings/mailboxes", "status of 422"],
    ["/settings/mailboxes", "status of 502"],
    ["/settings/suppressions", "status of 422"],
  ];
  const found = expected.map(([pathname, status]) =>
    pageErrors.findIndex((message) => message.startsWith(`${url(pathname)}: `) && message.includes(status)),
  );
  assert.ok(
    found.every((index) => index !== -1),
    pageErrors.join("\n"),
  );
  assert.deepEqual(
    pageErrors.filter((_, index) => !found.includes(index)),
    [],
  );
});
