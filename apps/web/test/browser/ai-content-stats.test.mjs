// Ratings and template figures in the composer, in Chromium against the real API under
// `wrangler dev` and the production build under `wrangler pages dev`: a sequence whose step has
// two variants, ten sends of one (three replied, seeded in the local D1); the Templates list
// best first with its why; generating from a step and rating the draft moves the figures; a
// refusal shown at its field; a second organization sees no templates; 375px dark, axe, JS budget.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import {
  chromiumArgs,
  chromiumPath,
  firstLoadJs,
  requestJson,
  runToEnd,
  saveScreenshot,
  signInWithSession,
  startStack,
  useColorScheme,
  sidewaysOverflowAt,
} from "./support.mjs";

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const password = "correct horse battery staple";
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let stack;
let browser;
let context;
let page;
let owner;
let stranger;
let contactId;
let stepId;
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
    body: { organizationName, name: "Template Person", email, password },
  });
  return { accessToken: session.accessToken, refreshToken: session.refreshToken };
}

const signInBrowser = (ctx, session) => signInWithSession(ctx, stack.webUrl, session);

const screenshot = (target, name) => saveScreenshot(target, `ai-content-stats-${name}`);

const url = (pathname) => `${stack.webUrl}${pathname}`;
const templateItems = (target) => target.getByRole("list", { name: "Templates, best first" }).getByRole("listitem");

before(
  async () => {
    stack = await startStack();
    owner = await signUp(`Templates ${run}`, `templates.${run}@example.com`);
    stranger = await signUp(`Elsewhere ${run}`, `elsewhere.${run}@example.com`);
    const me = await ok("GET", "/api/v1/me");
    contactId = (
      await ok("POST", "/api/v1/contacts", {
        body: { firstName: "Dana", lastName: "Reyes", emails: [{ address: `dana.${run}@example.com`, primary: true }] },
      })
    ).id;
    const sequence = await ok("POST", "/api/v1/sequences", {
      body: {
        name: "Intro",
        steps: [
          {
            channel: "email",
            variants: [
              { key: "A", weight: 50, subject: "A quick idea", body: "Hi {{contact.firstName|there}}, a quick idea." },
              { key: "B", weight: 50, subject: "Ten minutes?", body: "Hi {{contact.firstName|there}}, ten minutes?" },
            ],
          },
        ],
      },
    });
    stepId = sequence.steps[0].id;
    // Ten sends of variant A yesterday, the first three replied: what the outreach pipeline leaves.
    const sentAt = Date.now() - 86_400_000;
    await runToEnd("content-stats-d1", "wrangler", [
      "d1",
      "execute",
      "DB",
      "--local",
      "--persist-to",
      path.join(stack.stateDir, "api"),
      "--command",
      `insert into outreach_messages (id, tenant_id, dedupe_key, channel, contact_id, sequence_id, step_id, variant_key,
         status, to_address, subject, text, sent_at, replied_at, open_count, click_count, created_at, updated_at)
       with recursive n(i) as (select 1 union all select i + 1 from n where i < 10)
       select 'om_seed_' || i, '${me.tenant.id}', 'seed:' || i, 'email', '${contactId}', '${sequence.id}', '${stepId}',
         'A', 'sent', 'lead' || i || '@example.com', 'A quick idea', 'Hello', ${sentAt},
         case when i <= 3 then ${sentAt + 3_600_000} else null end, 0, 0, ${sentAt}, ${sentAt} from n`,
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

test("the Templates list ranks the variants with their figures; rating a generated draft counts", async () => {
  const expected = await ok("GET", "/api/v1/ai/content/templates");
  assert.deepEqual(
    expected.data.map((t) => [t.name, t.sent, t.replied, t.replyRate, t.replyRateLowerBound]),
    [
      ["Intro, step 1 variant A", 10, 3, 0.3, 0.1078],
      ["Intro, step 1 variant B", 0, 0, null, 0],
    ],
  );

  await page.goto(url(`/ai/composer?contactId=${contactId}`), { waitUntil: "networkidle" });
  assert.equal(await page.getByTestId("templates-explanation").textContent(), expected.explanation);
  const items = templateItems(page);
  assert.equal(await items.count(), 2);
  const first = (await items.first().innerText()).replace(/\s+/g, " ");
  assert.ok(first.startsWith("1. Intro, step 1 variant A"), first);
  assert.ok(first.includes("Generated 0"), first);
  assert.ok(first.includes("Replies 3 of 10 replied (30.0%)"), first);
  assert.ok(first.includes("Lower bound (95%) 10.8%"), first);
  assert.ok(first.includes("Rating not rated"), first);
  assert.ok(first.includes(expected.data[0].why), first);
  const second = (await items.nth(1).innerText()).replace(/\s+/g, " ");
  assert.ok(second.includes("Replies not sent yet") && second.includes(expected.data[1].why), second);

  // Generate from variant A and rate the draft: the list shows the generation and the rating.
  await page.getByRole("radio", { name: "A sequence step" }).check();
  await page.getByLabel("Sequence step", { exact: true }).selectOption(`${stepId}:A`);
  await page.getByRole("button", { name: "Generate" }).click();
  await page.getByTestId("draft-body").waitFor();
  await page.getByRole("radio", { name: "4 stars" }).check({ force: true });
  await page.getByLabel("Comment (optional)").fill("Clear and short");
  await page.getByRole("button", { name: "Save rating" }).click();
  assert.equal(
    (await page.getByTestId("rating-saved").textContent()).replace(/\s+/g, " ").trim(),
    "Rated 4 of 5: “Clear and short”. It counts toward the template's rating.",
  );
  await templateItems(page).first().getByText("4 of 5 (1 rating)").waitFor();
  assert.ok((await templateItems(page).first().innerText()).replace(/\s+/g, " ").includes("Generated 1"));

  const after = await ok("GET", "/api/v1/ai/content/templates");
  assert.deepEqual([after.data[0].generated, after.data[0].averageRating, after.data[0].ratingCount], [1, 4, 1]);
  await screenshot(page, "rated");
  assert.deepEqual(pageErrors, []);
});

test("a refused generation shows the API's reason at its field, and nothing is offered for rating", async () => {
  await page.goto(url(`/ai/composer?contactId=${contactId}`), { waitUntil: "networkidle" });
  await page.getByLabel("Body template", { exact: true }).fill("Hi {{contact.nickname}}");
  await page.getByRole("button", { name: "Generate" }).click();
  const refusal = await api("POST", "/api/v1/ai/content", {
    body: { channel: "email", contactId, template: { body: "Hi {{contact.nickname}}" } },
  });
  assert.equal(refusal.status, 422);
  await page.getByRole("alert").filter({ hasText: refusal.body.detail }).waitFor();
  assert.ok(await page.getByText(refusal.body.errors[0].message, { exact: true }).isVisible());
  assert.equal(await page.getByRole("button", { name: "Save rating" }).count(), 0);
});

test("another organization sees no templates, and an empty state that says what to do", async () => {
  const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await signInBrowser(other, stranger);
    const target = await other.newPage();
    await target.goto(url("/ai/composer"));
    await target.getByText("No templates yet.", { exact: false }).waitFor();
    assert.ok(await target.getByRole("link", { name: "Create a sequence" }).isVisible());
    assert.equal(await templateItems(target).count(), 0);
    assert.deepEqual((await ok("GET", "/api/v1/ai/content/templates", { token: stranger.accessToken })).data, []);
  } finally {
    await other.close();
  }
});

test("fits 375px in dark mode with no serious axe findings; first-load JS under 100 KB", async (t) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto(url("/ai/composer"));
  await useColorScheme(page, "dark");
  const { overflow, culprits } = await sidewaysOverflowAt(page, 375);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 375px (${culprits.join("; ")})`);
  await page.evaluate(axeSource);
  const violations = await page.evaluate(
    async () => (await globalThis.axe.run(document.querySelector("main"))).violations,
  );
  assert.deepEqual(
    violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id),
    [],
  );
  await screenshot(page, "narrow-dark");
  const firstLoad = firstLoadJs(["+layout.svelte", "(app)/+layout.svelte", "(app)/ai/composer/+page.svelte"]);
  t.diagnostic(`JS of /ai/composer: first load ${(firstLoad.gzipBytes / 1024).toFixed(1)} KB gzipped`);
  assert.ok(firstLoad.gzipBytes < 100 * 1024, `${firstLoad.gzipBytes} bytes gzipped`);
});
