// Shared by the npm entry points. Runs on the machine's Node (20+): it only installs
// dependencies and then hands over to Node 22 from node_modules (wrangler needs >= 22.12).
import { spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  writeFileSync,
  statSync,
} from "node:fs";
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const pnpmVersion = "10.34.9";
const binDir = path.join(root, "node_modules", ".bin");
/** Node 22 from the `node` devDependency (the machine's own Node may be 20). */
export const nodeBin = path.join(binDir, "node");

/** PATH with node_modules/.bin first, so `node` is the Node 22 the workspace installs. */
export function toolEnv(extra = {}) {
  return {
    ...process.env,
    // Everything runs offline: no usage reports, no update notices.
    WRANGLER_SEND_METRICS: "false",
    REDOCLY_TELEMETRY: "off",
    REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
    PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
    ...extra,
  };
}

function lockStamp() {
  const lock = path.join(root, "pnpm-lock.yaml");
  const parts = [readFileSync(path.join(root, "package.json"))];
  if (existsSync(lock)) parts.push(readFileSync(lock));
  return createHash("sha256").update(Buffer.concat(parts)).digest("hex");
}

/** Installs the workspace when node_modules is missing or the lockfile changed since the last install. */
export function ensureInstalled() {
  const stampFile = path.join(root, "node_modules", ".install-stamp");
  const stamp = lockStamp();
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp && existsSync(path.join(binDir, "node")))
    return;
  console.log("Installing dependencies (pnpm)...");
  const args = [
    "--yes",
    `pnpm@${pnpmVersion}`,
    "install",
    "--frozen-lockfile=" + String(existsSync(path.join(root, "pnpm-lock.yaml")) && process.env.CI === "true"),
  ];
  const result = spawnSync("npx", args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  if (result.status !== 0) {
    console.error("Dependency installation failed.");
    process.exit(result.status ?? 1);
  }
  writeFileSync(stampFile, stamp);
}

/** Runs a command with the workspace's tools on PATH; resolves with its exit code. */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit", ...options, env: toolEnv(options.env) });
    child.on("error", (error) => {
      console.error(`Could not start ${command}: ${error.message}`);
      resolve(1);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** The workspace's own pnpm (a devDependency), run by Node 22. */
export function pnpm(args, options = {}) {
  return run(path.join(binDir, "pnpm"), args, options);
}

/** A workspace tool from node_modules/.bin (wrangler, eslint, prettier, redocly...). */
export function tool(name, args, options = {}) {
  return run(path.join(binDir, name), args, options);
}

export function isNewer(a, b) {
  return existsSync(a) && (!existsSync(b) || statSync(a).mtimeMs > statSync(b).mtimeMs);
}

export function tempDir(label) {
  return mkdtempSync(path.join(os.tmpdir(), `crm-${label}-`));
}

/** True when the dashboard app exists (apps/web is built by its own package). */
export function hasWebApp() {
  return existsSync(path.join(root, "apps", "web", "package.json"));
}

/** wrangler.toml's [assets] directory: files the Worker serves before its own routes. */
export const assetsDir = path.join(root, "apps", "api", "dist", "static");

/**
 * Fills the static assets directory. /docs loads Scalar's standalone browser bundle from
 * /docs/assets/scalar.js instead of a CDN, so the docs work offline and in production.
 */
export function prepareAssets() {
  const pkg = path.join(root, "apps", "api", "node_modules", "@scalar", "api-reference");
  const source = path.join(realpathSync(pkg), "dist", "browser", "standalone.js");
  const target = path.join(assetsDir, "docs", "assets", "scalar.js");
  if (!isNewer(source, target) && existsSync(target)) return;
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(source, target);
}

/** `wrangler deploy --dry-run`: bundles the Worker as it would ship, into outdir. */
export function bundleWorker(outdir) {
  return tool("wrangler", ["deploy", "--dry-run", "--outdir", outdir]);
}

/**
 * Starts a long-running command in its own process group, so stopping it also stops
 * whatever it spawned (wrangler → workerd, esbuild; pnpm → vite).
 */
export function startGroup(label, command, args, options = {}) {
  const child = spawn(command, args, {
    cwd: root,
    stdio: "inherit",
    detached: true,
    ...options,
    env: toolEnv(options.env),
  });
  child.label = label;
  child.exited = new Promise((resolve) => {
    child.on("exit", (code, signal) => resolve({ code, signal }));
    child.on("error", (error) => resolve({ code: 1, signal: null, error }));
  });
  return child;
}

/** Process ids still alive in a process group (ps lists members by group id). */
export function groupMembers(pgid) {
  const result = spawnSync("ps", ["-o", "pid=", "-g", String(pgid)], { encoding: "utf8" });
  return result.stdout
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map(Number);
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

async function waitForGroupEnd(pgid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (groupMembers(pgid).length === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return groupMembers(pgid).length === 0;
}

/**
 * Stops each group: SIGINT (what Ctrl-C sends a foreground group), then SIGKILL for what is still running after `graceMs`.
 * Resolves with the ids of processes that survived both (none, normally).
 */
export async function stopGroups(children, graceMs = 5000) {
  const groups = children.map((child) => child.pid).filter(Boolean);
  for (const pgid of groups) signalGroup(pgid, "SIGINT");
  const survivors = [];
  for (const pgid of groups) {
    if (await waitForGroupEnd(pgid, graceMs)) continue;
    signalGroup(pgid, "SIGKILL");
    if (!(await waitForGroupEnd(pgid, 2000))) survivors.push(...groupMembers(pgid));
  }
  return survivors;
}

/**
 * Calls `onEnd` once the job this process belongs to has ended: its process group's leader
 * (npm, or the shell job) is gone. `kill <npm pid>` does not reach this process (npm's
 * `node` shim does not forward signals), and its children must not outlive it.
 */
export function watchJobLeader(onEnd, intervalMs = 1000) {
  const result = spawnSync("ps", ["-o", "pgid=", "-p", String(process.pid)], { encoding: "utf8" });
  const leader = Number(result.stdout.trim());
  if (!leader || leader === process.pid) return;
  const timer = setInterval(() => {
    try {
      process.kill(leader, 0);
    } catch {
      clearInterval(timer);
      onEnd();
    }
  }, intervalMs);
  timer.unref();
}

/** Polls a URL until it answers with a status below 500 (or the child exits, or time runs out). */
export async function waitForUrl(url, { timeoutMs = 60_000, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child?.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status < 500) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
