// Starts what the browser tests need (the API under `wrangler dev`, the built dashboard under
// `wrangler pages dev`) on free local ports, and stops every process it started, even on failure.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const repoRoot = path.resolve(webDir, "..", "..");
export const artifactsDir = path.join(webDir, "test-artifacts");
const rootBin = path.join(repoRoot, "node_modules", ".bin");
const webBin = path.join(webDir, "node_modules", ".bin");

/** Node 22 and wrangler from the workspace come first, whatever node runs the tests. */
const toolEnv = {
  ...process.env,
  PATH: [webBin, rootBin, process.env.PATH].join(path.delimiter),
  WRANGLER_SEND_METRICS: "false",
  NO_COLOR: "1",
};

const started = new Set();

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

// A test runner that dies mid-run still takes the servers with it.
process.on("exit", () => {
  for (const child of started) killGroup(child, "SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    for (const child of started) killGroup(child, "SIGKILL");
    process.exit(130);
  });
}

/** Spawns a command in its own process group (so its children stop with it); output goes to a log file. */
export function startProcess(name, command, args, options = {}) {
  mkdirSync(artifactsDir, { recursive: true });
  const logPath = path.join(artifactsDir, `${name}.log`);
  const log = createWriteStream(logPath);
  const child = spawn(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: toolEnv,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  started.add(child);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
  exited.then(() => started.delete(child));
  return { name, child, logPath, exited };
}

/** Runs a command to completion; rejects with the tail of its output when it fails. */
export async function runToEnd(name, command, args, options = {}) {
  const proc = startProcess(name, command, args, options);
  const result = await proc.exited;
  if (result !== 0) throw new Error(`${name} failed (${result}); see ${proc.logPath}`);
}

/** SIGINT (wrangler then removes its temporary bundles, as on Ctrl-C), then SIGKILL after a grace period. */
export async function stopProcess(proc, graceMs = 5_000) {
  if (!started.has(proc.child)) return;
  killGroup(proc.child, "SIGINT");
  const timer = new Promise((resolve) => setTimeout(resolve, graceMs, "timeout"));
  if ((await Promise.race([proc.exited, timer])) === "timeout") killGroup(proc.child, "SIGKILL");
  // workerd children share the group: make sure none survive the parent.
  killGroup(proc.child, "SIGKILL");
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls a URL until it answers `expectStatus`, the process dies, or the deadline passes. */
export async function waitForUrl(url, proc, { expectStatus = 200, timeoutMs = 90_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  proc.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${proc.name} exited before ${url} answered; see ${proc.logPath}`);
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status === expectStatus) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer ${expectStatus} within ${timeoutMs} ms; see ${proc.logPath}`);
}

/** Debian's Chromium (or CHROMIUM_PATH): playwright's own browser downloads are not available here. */
export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    for (const name of ["chromium", "chromium-browser"]) {
      const candidate = path.join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  throw new Error("Chromium not found on PATH: install it (apt-get install -y chromium) or set CHROMIUM_PATH");
}

export const chromiumArgs = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * The whole stack on free ports: migrations into a temporary D1, the API, then the dashboard's
 * production build served as Cloudflare Pages would, pointed at that API. `apiArgs` go to the
 * API's `wrangler dev` (`--test-scheduled` lets a test run Cron ticks at /__scheduled).
 */
export async function startStack({ apiArgs = [] } = {}) {
  const stateDir = await mkdtemp(path.join(tmpdir(), "crm-web-test-"));
  const procs = [];
  const stack = {
    stateDir,
    apiUrl: "",
    webUrl: "",
    async stop() {
      await Promise.all(procs.map((proc) => stopProcess(proc)));
      await rm(stateDir, { recursive: true, force: true });
    },
  };
  try {
    const [apiPort, apiInspector, webPort, webInspector] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    stack.apiUrl = `http://127.0.0.1:${apiPort}`;
    // localhost, not 127.0.0.1: the session cookie drops Secure only on plain-http loopback names.
    stack.webUrl = `http://localhost:${webPort}`;
    const persist = path.join(stateDir, "api");

    // `npm test` builds once before every browser test file (CRM_WEB_PREBUILT=1); a single
    // file run on its own builds here.
    const build =
      process.env.CRM_WEB_PREBUILT === "1"
        ? Promise.resolve()
        : runToEnd("web-build", "vite", ["build"], { cwd: webDir });
    build.catch(() => {}); // awaited below; this only keeps an early failure from counting as unhandled
    await runToEnd("api-migrations", "wrangler", [
      "d1",
      "migrations",
      "apply",
      "DB",
      "--local",
      "--persist-to",
      persist,
    ]);
    const api = startProcess("api", "wrangler", [
      "dev",
      "--local",
      "--ip",
      "127.0.0.1",
      "--port",
      String(apiPort),
      "--inspector-port",
      String(apiInspector),
      "--persist-to",
      persist,
      "--var",
      `JWT_SECRET:browser-test-${Math.random().toString(36).slice(2)}-secret`,
      "--var",
      `SECRETS_KEY:browser-test-${Math.random().toString(36).slice(2)}-sealing-key`,
      // Tracking and unsubscribe links in sent mail point at this API, not the default port.
      "--var",
      `PUBLIC_API_URL:${stack.apiUrl}`,
      "--show-interactive-dev-session=false",
      ...apiArgs,
    ]);
    procs.push(api);
    await build;
    const web = startProcess(
      "web",
      "wrangler",
      [
        "pages",
        "dev",
        "--ip",
        "127.0.0.1",
        "--port",
        String(webPort),
        "--inspector-port",
        String(webInspector),
        "--persist-to",
        path.join(stateDir, "web"),
        "--binding",
        `API_URL=${stack.apiUrl}`,
        "--show-interactive-dev-session=false",
      ],
      { cwd: webDir },
    );
    procs.push(web);
    await Promise.all([waitForUrl(`${stack.apiUrl}/health`, api), waitForUrl(`${stack.webUrl}/login`, web)]);
    return stack;
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

const clientDir = path.join(webDir, ".svelte-kit", "output", "client");

/**
 * First-load JavaScript of a page from the build's manifest: the client entry, the app, and the
 * static import graph of each layout and page component the route renders (what must arrive
 * before it hydrates), gzipped. Code a page imports later (the home chart) is not in it.
 */
export function firstLoadJs(components) {
  const manifest = JSON.parse(readFileSync(path.join(clientDir, ".vite", "manifest.json"), "utf8"));
  const nodesDir = path.join(webDir, ".svelte-kit", "generated", "client-optimized", "nodes");
  const roots = Object.keys(manifest).filter((key) => {
    if (!manifest[key].isEntry) return false;
    if (key.endsWith("client/entry.js") || key.endsWith("client-optimized/app.js")) return true;
    const node = key.match(/client-optimized\/nodes\/\d+\.js$/)
      ? readFileSync(path.join(nodesDir, path.basename(key)), "utf8")
      : "";
    return components.some((component) => node.includes(`/src/routes/${component}"`));
  });
  const files = new Set();
  const visit = (key) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  roots.forEach(visit);
  const scripts = [...files].filter((file) => file.endsWith(".js"));
  const gzipBytes = scripts.reduce(
    (sum, file) => sum + gzipSync(readFileSync(path.join(clientDir, file)), { level: 9 }).length,
    0,
  );
  return { roots: roots.length, files: scripts.length, gzipBytes };
}

/** Presses on the card, moves over the target column in steps (svelte-dnd-action follows pointer moves), releases. */
export async function dragDealCard(target, dealName, stageName) {
  const card = target
    .getByTestId("deal-card")
    .filter({ has: target.getByRole("link", { name: dealName, exact: true }) });
  const from = await card.boundingBox();
  const zone = target
    .getByRole("region", { name: stageName, exact: true })
    .getByLabel(`${stageName} deals`, { exact: true });
  await zone.scrollIntoViewIfNeeded();
  const to = await zone.boundingBox();
  const moved = target.waitForResponse(
    (r) => r.request().method() === "POST" && new URL(r.url()).pathname.endsWith("/move-stage"),
  );
  // Grab the card in the middle of its left edge (its value line), away from the link and the move menu:
  // svelte-dnd-action drops where the dragged card's centre is, which then follows the pointer.
  const start = { x: from.x + 20, y: from.y + from.height / 2 };
  await target.mouse.move(start.x, start.y);
  await target.mouse.down();
  const end = { x: to.x + 20, y: to.y + Math.min(to.height / 2, from.height) };
  for (let step = 1; step <= 15; step += 1) {
    await target.mouse.move(start.x + ((end.x - start.x) * step) / 15, start.y + ((end.y - start.y) * step) / 15);
    await target.waitForTimeout(20);
  }
  await target.waitForTimeout(100);
  await target.mouse.up();
  return moved;
}

/**
 * Switches the page to a colour scheme and waits for the controls' colour transitions
 * (transition-colors) to finish, so a contrast check reads the settled colours.
 */
export async function useColorScheme(target, colorScheme) {
  await target.emulateMedia({ colorScheme });
  await target.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished)));
}

/** A JSON request to the API as a client sends it: `{ status, body }` (body parsed, null when empty). */
export async function requestJson(apiUrl, method, pathname, { token, body } = {}) {
  const headers = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${apiUrl}${pathname}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Signs a browser context in with an API session, as the dashboard's sign-in stores it (its cookie). */
export async function signInWithSession(ctx, webUrl, session) {
  await ctx.addCookies([
    {
      name: "crm_session",
      value: encodeURIComponent(
        JSON.stringify({ accessToken: session.accessToken, refreshToken: session.refreshToken }),
      ),
      url: webUrl,
      httpOnly: true,
      sameSite: "Lax",
    },
  ]);
}

/** A full-page screenshot into the test artifacts, `<name>.png`. */
export async function saveScreenshot(target, name) {
  mkdirSync(artifactsDir, { recursive: true });
  await target.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true });
}

/** Runs SQL on the stack's local D1 (seeding what no API makes: history, sent mail). */
export async function executeLocalD1(stack, sql, label = "d1") {
  await runToEnd(label, "wrangler", [
    "d1",
    "execute",
    "DB",
    "--local",
    "--persist-to",
    path.join(stack.stateDir, "api"),
    "--command",
    sql,
  ]);
}

/**
 * Resizes the tab to `width` px and answers how far the page then scrolls sideways (0 when it fits), with the
 * innermost elements that stick out. Read once the narrow layout holds still: charts size themselves from a
 * ResizeObserver a frame or more after the resize, and on a loaded machine a read straight after the resize
 * can still see the wide chart.
 */
export async function sidewaysOverflowAt(target, width = 375) {
  await target.setViewportSize({ width, height: 812 });
  return target.evaluate(async () => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const giveUpAt = performance.now() + 3_000;
    let overflow = Number.NaN;
    for (let steadyFrames = 0; steadyFrames < 5 && performance.now() < giveUpAt;) {
      await frame();
      const now = document.documentElement.scrollWidth - window.innerWidth;
      steadyFrames = now === overflow ? steadyFrames + 1 : 0;
      overflow = now;
    }
    await Promise.all(document.getAnimations().map((animation) => animation.finished));
    overflow = document.documentElement.scrollWidth - window.innerWidth;
    const sticksOut = (el) => el.getBoundingClientRect().right > window.innerWidth + 1;
    const culprits =
      overflow > 0
        ? [...document.querySelectorAll("body *")]
            .filter((el) => sticksOut(el) && ![...el.children].some(sticksOut))
            .slice(0, 5)
            .map(
              (el) =>
                `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} "${el.textContent.trim().slice(0, 40)}"`,
            )
        : [];
    return { overflow, culprits };
  });
}

/** The problem line for a page that scrolls sideways at 375 px, or null when it fits. */
export async function sidewaysScrollProblem(target, label) {
  const { overflow, culprits } = await sidewaysOverflowAt(target, 375);
  return overflow > 0 ? `${label}scrolls sideways by ${overflow}px at 375px (${culprits.join("; ")})` : null;
}

/** Fails when the page scrolls sideways at 375 px, naming what sticks out. */
export async function assertNoSidewaysScroll(target) {
  const { overflow, culprits } = await sidewaysOverflowAt(target, 375);
  assert.ok(overflow <= 0, `${target.url()} scrolls sideways by ${overflow}px at 375px (${culprits.join("; ")})`);
}
