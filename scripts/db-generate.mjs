// Regenerates the SQL migrations from packages/db's schema with drizzle-kit.
// Usage: npm run db:generate -- <name>
import path from "node:path";
import { ensureInstalled, root, run } from "./lib.mjs";

ensureInstalled();
const name = process.argv[2] ?? "change";
process.exit(
  await run(path.join(root, "packages", "db", "node_modules", ".bin", "drizzle-kit"), ["generate", "--name", name], {
    cwd: path.join(root, "packages", "db"),
  }),
);
