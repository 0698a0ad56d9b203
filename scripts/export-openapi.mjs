// Writes the Worker's /openapi.json to a file without any network: starts the bundle from
// `wrangler deploy --dry-run --outdir <bundleDir>` under Miniflare and asks it.
// Usage (Node 22): node scripts/export-openapi.mjs <bundleDir> <out.json>
import { writeFileSync } from "node:fs";
import { startBundledWorker } from "./worker-runtime.mjs";

const [bundleDir, outFile] = process.argv.slice(2);
if (!bundleDir || !outFile) {
  console.error("Usage: node scripts/export-openapi.mjs <bundleDir> <out.json>");
  process.exit(2);
}

const worker = await startBundledWorker({
  bundleDir,
  bindings: { JWT_SECRET: "openapi-export-only", SECRETS_KEY: "openapi-export-only-key" },
});
try {
  const response = await fetch(new URL("/openapi.json", worker.url));
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}: ${text.slice(0, 500)}`);
  const document = JSON.parse(text);
  writeFileSync(outFile, JSON.stringify(document, null, 2));
  console.log(`Exported ${Object.keys(document.paths ?? {}).length} paths (OpenAPI ${document.openapi}) to ${outFile}`);
} finally {
  await worker.dispose();
}
