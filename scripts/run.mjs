// `npm run typecheck|lint|format|bench|deploy|test:api`: installs what is missing, then runs
// the tool with the workspace's Node 22. Extra arguments go to the tool:
//   npm run lint -- --fix
//   npm run format -- --check
//   npm run test:api -- src/routes/auth/auth.test.ts
import { ensureInstalled, pnpm, prepareAssets, tool } from "./lib.mjs";

/** The files or folders named on the command line, else the whole repository. */
function withTargets(args) {
  return args.some((a) => !a.startsWith("-")) ? args : [".", ...args];
}

const tasks = {
  /** Every workspace package's own typecheck (tsc; svelte-check for the dashboard). */
  typecheck: (args) => pnpm(["-r", "--if-present", "run", "typecheck", ...args]),
  lint: (args) => tool("eslint", withTargets(args)),
  /** Rewrites files in place; `-- --check` only reports what is not formatted. */
  format: (args) =>
    tool("prettier", [
      args.includes("--check") ? "--check" : "--write",
      ...withTargets(args.filter((a) => a !== "--check")),
    ]),
  bench: (args) => pnpm(["--filter", "@crm/bench", "run", "bench", ...args]),
  /** Fills the static assets directory, then deploys the Worker with the account wrangler is logged in to. */
  deploy: (args) => {
    prepareAssets();
    return tool("wrangler", ["deploy", ...args]);
  },
  /** The API's vitest suite inside workerd; paths are relative to apps/api. */
  "test:api": (args) => {
    prepareAssets();
    return pnpm(["--filter", "@crm/api", "exec", "vitest", "run", ...args]);
  },
};

const [name, ...args] = process.argv.slice(2);
const task = tasks[name];
if (!task) {
  console.error(`Usage: node scripts/run.mjs <${Object.keys(tasks).join("|")}> [args...]`);
  process.exit(2);
}
ensureInstalled();
process.exit(await task(args));
