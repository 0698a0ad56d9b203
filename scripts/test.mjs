// `npm test`: installs what is missing, then runs every check in order and stops at the
// first failure. The last line is `N passed, M failed` over the steps.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import {
  bundleWorker,
  ensureInstalled,
  hasWebApp,
  nodeBin,
  pnpm,
  prepareAssets,
  root,
  run,
  tempDir,
  tool,
} from "./lib.mjs";

/** Workers' limit on a Worker's compressed size (paid plan: 10 MiB; we hold the free plan's). */
const maxBundleGzipBytes = 3 * 1024 * 1024;

ensureInstalled();
prepareAssets();
const scratch = tempDir("test");
const bundleDir = path.join(scratch, "bundle");

/** `wrangler types` into a file beside the committed one (its imports are relative) and compare. */
async function workerTypesUpToDate() {
  const committed = path.join(root, "worker-configuration.d.ts");
  const fresh = path.join(root, `.worker-configuration.${process.pid}.d.ts`);
  // An empty env file: secrets in a developer's .dev.vars are not part of the committed types.
  const noEnv = path.join(scratch, "empty.env");
  writeFileSync(noEnv, "");
  try {
    const code = await tool("wrangler", ["types", fresh, "--strict-vars=false", `--env-file=${noEnv}`], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (code !== 0) return code;
    // Line 2 names the command that generated the file (with its paths); its hash is kept.
    const normalize = (file) =>
      readFileSync(file, "utf8")
        .replace(/running `[^`]*`/, "running `wrangler types`")
        .split("\n");
    const [want, have] = [normalize(fresh), normalize(committed)];
    const line = want.findIndex((text, i) => text !== have[i]);
    if (line === -1 && want.length === have.length) return 0;
    console.error(`worker-configuration.d.ts is out of date (first difference at line ${line + 1}):`);
    console.error(`  committed: ${have[line] ?? "<end of file>"}\n  generated: ${want[line] ?? "<end of file>"}`);
    console.error("Regenerate it with: npx wrangler types --strict-vars=false (without a .dev.vars file)");
    return 1;
  } finally {
    rmSync(fresh, { force: true });
  }
}

/** Bundles the Worker as `wrangler deploy` would and checks the compressed size. */
async function bundle() {
  const code = await bundleWorker(bundleDir);
  if (code !== 0) return code;
  let gzipped = 0;
  for (const file of readdirSync(bundleDir)) {
    const full = path.join(bundleDir, file);
    if (file.endsWith(".map") || file === "README.md" || !statSync(full).isFile()) continue;
    gzipped += gzipSync(readFileSync(full)).length;
  }
  const mib = (gzipped / 1024 / 1024).toFixed(2);
  console.log(`Worker bundle: ${mib} MiB gzipped (limit ${maxBundleGzipBytes / 1024 / 1024} MiB)`);
  return gzipped <= maxBundleGzipBytes ? 0 : 1;
}

/** Exports /openapi.json from the bundle (Miniflare, no network) and lints it with Redocly. */
async function openApiLint() {
  const document = path.join(scratch, "openapi.json");
  const code = await run(nodeBin, [path.join(root, "scripts", "export-openapi.mjs"), bundleDir, document]);
  if (code !== 0) return code;
  return tool("redocly", ["lint", "--config", path.join(root, "redocly.yaml"), "--format", "stylish", document]);
}

function packagesWithTests() {
  const dir = path.join(root, "packages");
  return readdirSync(dir).filter((name) => {
    const manifest = path.join(dir, name, "package.json");
    return existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).scripts?.test;
  });
}

const steps = [
  ["typecheck", () => pnpm(["-r", "--if-present", "run", "typecheck"])],
  ["worker-configuration.d.ts is up to date", workerTypesUpToDate],
  ["lint", () => tool("eslint", ["."])],
  ...(packagesWithTests().length > 0
    ? [["package unit tests", () => pnpm(["-r", "--if-present", "--filter", "./packages/**", "run", "test"])]]
    : []),
  // The built-in AI engine's figures on the public datasets (../shared/datasets beside the checkout).
  ["AI evaluations on the public datasets", () => pnpm(["--filter", "@crm/ai", "run", "eval"])],
  ["API tests (vitest in workerd)", () => pnpm(["--filter", "@crm/api", "run", "test"])],
  // The dry run comes before the OpenAPI lint: the document is exported from its bundle.
  ["wrangler deploy --dry-run (bundle size)", bundle],
  ["OpenAPI lint (redocly)", openApiLint],
  ...(hasWebApp()
    ? [
        // The browser tests serve this build (as Pages would) instead of each building its own.
        ["dashboard production build", () => pnpm(["--filter", "@crm/web", "run", "build"])],
        [
          "dashboard tests (Chromium)",
          () => pnpm(["--filter", "@crm/web", "run", "test"], { env: { CRM_WEB_PREBUILT: "1" } }),
        ],
      ]
    : []),
];

const results = [];
for (const [name, step] of steps) {
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  const code = await step();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ name, ok: code === 0, seconds });
  console.log(`${code === 0 ? "✔" : "✘"} ${name} (${seconds} s)`);
  if (code !== 0) break;
}
rmSync(scratch, { recursive: true, force: true });

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log("\nSummary:");
for (const r of results) console.log(`  ${r.ok ? "✔" : "✘"} ${r.name} (${r.seconds} s)`);
for (const [name] of steps.slice(results.length)) console.log(`  - ${name} (not run)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
