import { type ImportRow, publicImport } from "@crm/services";
import type { Bindings } from "../env";

/**
 * Called once per import when it ends (completed, stopped at an error, or a file that
 * cannot be read), right after the batch that ended it is committed. It is the single place
 * the `import.completed` event starts from: outbound webhooks subscribe here.
 */
export async function importFinished(_env: Bindings, row: ImportRow): Promise<void> {
  const summary = publicImport(row);
  console.log(
    JSON.stringify({
      level: "info",
      event: "import.completed",
      tenantId: row.tenantId,
      importId: row.id,
      status: summary.status,
      progress: summary.progress,
    }),
  );
}
