import { env } from "cloudflare:test";
import { createDb, tenants } from "@crm/db";
import { batchGuard, isGuardFailure } from "@crm/services";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { signupTenant } from "./harness";

describe("batchGuard", () => {
  it("lets the batch through when the condition holds, and rolls back every statement when it does not", async () => {
    const { tenantId } = await signupTenant("Guarded");
    const db = createDb(env.DB);
    const before = await db.query.tenants.findFirst({ where: eq(tenants.id, tenantId) });
    const rename = (name: string) => db.update(tenants).set({ name }).where(eq(tenants.id, tenantId));

    await db.batch([rename("Passed"), batchGuard(db, tenants.slug, eq(tenants.id, tenantId), sql`1 = 1`)]);
    const passed = await db.query.tenants.findFirst({ where: eq(tenants.id, tenantId) });
    expect(passed).toMatchObject({ name: "Passed", slug: before!.slug });

    const failure = await db
      .batch([rename("Rolled back"), batchGuard(db, tenants.slug, eq(tenants.id, tenantId), sql`1 = 0`)])
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(isGuardFailure(failure, tenants.slug)).toBe(true);
    const after = await db.query.tenants.findFirst({ where: eq(tenants.id, tenantId) });
    // The rename in the same batch was undone, and the guard left the row as it was.
    expect(after).toEqual(passed);
  });
});
