import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectProblem, json, signupTenant } from "../../../test/harness";
import worker from "../../worker";
import { createContactVia } from "../contacts/test-support";

/** The Worker as `npm run bench` runs it: the same code with BENCH_ROUTES set. */
async function benchFetch(path: string): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`https://crm.test${path}`), { ...env, BENCH_ROUTES: "true" }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe("the rescoring bench's scan baseline", () => {
  it("reads every contact of the tenant it names, in rescoring's pages, and only with BENCH_ROUTES", async () => {
    const owner = await signupTenant("Scan");
    const other = await signupTenant("Scan other");
    for (const name of ["Ann", "Ben", "Cy"]) await createContactVia(owner.accessToken, { firstName: name });
    await createContactVia(other.accessToken, { firstName: "Elsewhere" });

    await expectProblem(await api("GET", `/__bench/contact-scan?tenantId=${owner.tenantId}`), 404, "NOT_FOUND");
    const scan = await benchFetch(`/__bench/contact-scan?tenantId=${owner.tenantId}`);
    expect(scan.status).toBe(200);
    const body = await json(scan);
    expect({ rows: body.rows, pages: body.pages, pageSize: body.pageSize }).toEqual({
      rows: 3,
      pages: 1,
      pageSize: 100,
    });
    expect(body.ms).toBeGreaterThanOrEqual(0);
    expect((await json(await benchFetch(`/__bench/contact-scan?tenantId=${other.tenantId}`))).rows).toBe(1);
    await expectProblem(await benchFetch("/__bench/contact-scan"), 422, "VALIDATION_FAILED");
  });
});
