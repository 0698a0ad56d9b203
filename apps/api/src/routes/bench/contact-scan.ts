import { createDb, tenantDb } from "@crm/db";
import { contactPage, rescoreChunkSize } from "@crm/services";
import type { App } from "../../app";
import { benchGate } from "./gate";

/**
 * bench/ai-rescore.mjs's baseline: every contact of a tenant read the way a rescoring chunk
 * reads them (contactPage: whole rows in id order, `rescoreChunkSize` at a time), with nothing
 * else done, inside the Worker against the same D1. Answers how many rows and pages it read
 * and how long that took, so the benchmark can price rescoring against a plain scan.
 */
export function registerBenchContactScan(app: App): void {
  app.all("/__bench/contact-scan", async (c) => {
    const gate = benchGate(c);
    if (gate instanceof Response) return gate;
    const ctx = {
      tenant: { id: gate.tenantId },
      actor: { type: "system" as const, id: "bench" },
      db: tenantDb(createDb(c.env.DB), gate.tenantId),
      requestId: c.get("requestId"),
    };
    const started = Date.now();
    let rows = 0;
    let pages = 0;
    let afterId: string | null = null;
    for (;;) {
      const page = await contactPage(ctx, afterId, rescoreChunkSize);
      pages++;
      rows += page.length;
      if (page.length < rescoreChunkSize) break;
      afterId = page[page.length - 1]!.id;
    }
    return c.json({ rows, pages, ms: Date.now() - started, pageSize: rescoreChunkSize }, 200);
  });
}
