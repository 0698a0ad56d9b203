// Shared by the npm entry points. Runs on the machine's Node (20+): it only installs
// dependencies and then hands over to Node 22 from node_modules (wrangler needs >= 22.12).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const pnpmVersion = "10.34.9";
const binDir = path.join(root, "node_modules", ".bin");

/** PATH with node_modules/.bin first, so `node` is the Node 22 the workspace installs. */
export function toolEnv(extra = {}) {
  return { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}`, ...extra };
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
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp && existsSync(path.join(binDir, "node"))) return;
  console.log("Installing dependencies (pnpm)...");
  const args = ["--yes", `pnpm@${pnpmVersion}`, "install", "--frozen-lockfile=" + String(existsSync(path.join(root, "pnpm-lock.yaml")) && process.env.CI === "true")];
  const result = spawnSync("npx", args, { cwd: root, stdio: "inherit", env: { ...process.env, npm_config_update_notifier: "false" } });
  if (result.status !== 0) {
    console.error("Dependency installation failed.");
    process.exit(result.status ?? 1);
  }
  writeFileSync(stampFile, stamp);
}

/** Runs a command with the workspace's tools on PATH; resolves with its exit code. */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit", env: toolEnv(options.env), ...options, env: toolEnv(options.env) });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** The workspace's own pnpm (a devDependency), run by Node 22. */
export function pnpm(args, options = {}) {
  return run(path.join(binDir, "pnpm"), args, options);
}

export function isNewer(a, b) {
  return existsSync(a) && (!existsSync(b) || statSync(a).mtimeMs > statSync(b).mtimeMs);
}
