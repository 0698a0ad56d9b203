// Runs the bundled Worker (from `wrangler deploy --dry-run --outdir`) under Miniflare's Node
// API: the workerd server itself answers on 127.0.0.1, with no `wrangler dev` proxy in front.
// Needs Node 22 (run it through the workspace's node, as scripts/lib.mjs's run() does).
import { existsSync } from "node:fs";
import path from "node:path";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { root } from "./lib.mjs";

/**
 * Starts the Worker with wrangler.toml's bindings (D1, Durable Objects, Queues, vars).
 * `persistDir` is where D1 and Durable Object state live: the same layout
 * `wrangler d1 migrations apply DB --local --persist-to <persistDir>` writes.
 */
export async function startBundledWorker({ bundleDir, persistDir, bindings = {} }) {
  const script = path.join(bundleDir, "worker.js");
  if (!existsSync(script)) throw new Error(`No bundle at ${script}: run \`wrangler deploy --dry-run --outdir\` first`);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(root, "wrangler.toml"));
  // The static assets (the docs' script) are not needed here; without them no asset
  // router sits in front of the Worker.
  const { main: _main, assets: _assets, ...worker } = workerOptions;
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      resourcePersistencePath: persistDir ? path.join(persistDir, "v3") : undefined,
      workers: [
        {
          ...worker,
          name: "crm-api",
          modulesRoot: bundleDir,
          modules: [{ type: "ESModule", path: script }],
          bindings: { ...worker.bindings, ...bindings },
        },
      ],
    }),
  );
  const url = await mf.ready;
  return { url: new URL(url), mf, dispose: () => mf.dispose() };
}
