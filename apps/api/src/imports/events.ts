import { domainEventQueries, type ImportRow, publicImport, type TenantContext } from "@crm/services";
import type { Bindings } from "../env";
import { enqueueDispatch } from "../jobs/webhook-jobs";

/**
 * Called once per import when it ends (completed, stopped at an error, or a file that
 * cannot be read), right after the batch that ended it is committed: puts `import.completed`
 * (the import as GET /imports/{id} shows it) into the domain-event outbox and queues its
 * dispatch. Should this fail, the import has still ended; the event is then not sent.
 */
export async function importFinished(env: Bindings, ctx: TenantContext, row: ImportRow): Promise<void> {
  const summary = publicImport(row);
  const [first, ...rest] = domainEventQueries(ctx, [
    { type: "import.completed", entity: "import", entityId: row.id, data: { ...summary }, previous: null },
  ]);
  if (first) await ctx.db.batch([first, ...rest]);
  // The dispatcher skips tenants without an active webhook; the Cron sweep stamps those.
  await enqueueDispatch(env.JOBS, row.tenantId);
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
