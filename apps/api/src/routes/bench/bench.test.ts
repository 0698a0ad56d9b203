import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant } from "../../../test/harness";
import worker from "../../worker";

/** The Worker as `npm run bench` runs it: the same code with BENCH_ROUTES set. */
async function benchFetch(method: string, path: string): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`https://crm.test${path}`, { method }),
    { ...env, BENCH_ROUTES: "true" },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

async function tenantWithEntry() {
  const owner = await signupTenant();
  const key = await createKey(owner, ["contacts:read"]);
  const page = await json(await api("GET", "/api/v1/audit-log?entity=api_key", { token: owner.accessToken }));
  const entry = page.data.find((e: { entityId: string }) => e.entityId === key.id);
  expect(entry).toBeDefined();
  return { owner, entryId: entry.id as string };
}

describe("the bench baseline route", () => {
  it("does not exist unless BENCH_ROUTES is true: 404 for every method, absent from /openapi.json", async () => {
    const { owner, entryId } = await tenantWithEntry();
    await expectProblem(await api("GET", `/__bench/audit-log/${entryId}?tenantId=${owner.tenantId}`), 404, "NOT_FOUND");
    await expectProblem(await api("POST", `/__bench/audit-log/${entryId}`), 404, "NOT_FOUND");
    const document = await json(await api("GET", "/openapi.json"));
    expect(JSON.stringify(Object.keys(document.paths))).not.toContain("__bench");
  });

  it("with BENCH_ROUTES, reads the same entry GET /api/v1/audit-log/{id} returns, without credentials", async () => {
    const { owner, entryId } = await tenantWithEntry();
    const viaApi = await api("GET", `/api/v1/audit-log/${entryId}`, { token: owner.accessToken });
    expect(viaApi.status).toBe(200);
    const bare = await benchFetch("GET", `/__bench/audit-log/${entryId}?tenantId=${owner.tenantId}`);
    expect(bare.status).toBe(200);
    // No rate limiting on the baseline: that is what the bench prices.
    expect(bare.headers.get("ratelimit-limit")).toBeNull();
    expect(await bare.json()).toEqual(await viaApi.json());
  });

  it("with BENCH_ROUTES, still scopes the read to the tenant it names", async () => {
    const first = await tenantWithEntry();
    const second = await signupTenant("Other");
    await expectProblem(
      await benchFetch("GET", `/__bench/audit-log/${first.entryId}?tenantId=${second.tenantId}`),
      404,
      "NOT_FOUND",
    );
    await expectProblem(await benchFetch("GET", `/__bench/audit-log/${first.entryId}`), 422, "VALIDATION_FAILED");
    await expectProblem(await benchFetch("DELETE", `/__bench/audit-log/${first.entryId}`), 405, "METHOD_NOT_ALLOWED");
  });
});
