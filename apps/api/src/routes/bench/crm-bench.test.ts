import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant } from "../../../test/harness";
import worker from "../../worker";
import { createContactVia, createDealVia } from "../contacts/test-support";
import { pipelineNamed } from "../deals/test-support";

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

/** A tenant with three contacts (two customers), two deals and a key holding every read scope. */
async function crmTenant() {
  const owner = await signupTenant();
  const key = await createKey(owner, ["contacts:read", "deals:read", "stats:read"]);
  const contacts = [];
  for (const [firstName, lifecycleStage] of [
    ["Ada", "customer"],
    ["Grace", "lead"],
    ["Edsger", "customer"],
  ]) {
    contacts.push(await createContactVia(owner.accessToken, { firstName, lastName: "Bench", lifecycleStage }));
  }
  await createDealVia(owner.accessToken, { name: "Big", value: 5000 });
  await createDealVia(owner.accessToken, { name: "Small", value: 100 });
  const sales = await pipelineNamed(owner.accessToken, "Sales");
  return { owner, key: key.key, contacts, pipelineId: sales.id as string };
}

async function viaKey(key: string, path: string) {
  const response = await api("GET", path, { token: key });
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response);
}

async function viaBench(path: string) {
  const response = await benchFetch("GET", path);
  expect(response.status, await response.clone().text()).toBe(200);
  // No rate limiting here: that is what the benchmark leaves out.
  expect(response.headers.get("ratelimit-limit")).toBeNull();
  return json(response);
}

describe("the CRM benchmark routes", () => {
  it("do not exist unless BENCH_ROUTES is true: 404 for every method, absent from /openapi.json", async () => {
    const { owner, contacts } = await crmTenant();
    const id = contacts[0].id;
    for (const path of [
      `/__bench/contacts/${id}?tenantId=${owner.tenantId}`,
      `/__bench/unmetered/api/v1/contacts?tenantId=${owner.tenantId}`,
      `/__bench/unmetered/api/v1/contacts/${id}?tenantId=${owner.tenantId}`,
    ]) {
      await expectProblem(await api("GET", path), 404, "NOT_FOUND");
      await expectProblem(await api("POST", path, { body: {} }), 404, "NOT_FOUND");
    }
    const document = await json(await api("GET", "/openapi.json"));
    expect(JSON.stringify(Object.keys(document.paths))).not.toContain("__bench");
  });

  it("read one contact by primary key as GET /api/v1/contacts/{id} shows it, scoped to the named tenant", async () => {
    const { owner, key, contacts } = await crmTenant();
    const other = await signupTenant("Other");
    const id = contacts[1].id;
    expect(await viaBench(`/__bench/contacts/${id}?tenantId=${owner.tenantId}`)).toEqual(
      await viaKey(key, `/api/v1/contacts/${id}`),
    );
    await expectProblem(
      await benchFetch("GET", `/__bench/contacts/${id}?tenantId=${other.tenantId}`),
      404,
      "NOT_FOUND",
    );
    await expectProblem(await benchFetch("GET", `/__bench/contacts/${id}`), 422, "VALIDATION_FAILED");
    await expectProblem(await benchFetch("PATCH", `/__bench/contacts/${id}?tenantId=${owner.tenantId}`), 405);
  });

  it("answer the contact list, its cursor pages and search exactly as the API does for a read key", async () => {
    const { owner, key, contacts } = await crmTenant();
    const [ada, , edsger] = contacts;
    const query = "lifecycleStage=customer&sort=-createdAt&limit=1";
    const first = await viaBench(`/__bench/unmetered/api/v1/contacts?tenantId=${owner.tenantId}&${query}`);
    expect(first).toEqual(await viaKey(key, `/api/v1/contacts?${query}`));
    expect(first.data.map((c: { id: string }) => c.id)).toEqual([edsger.id]);
    const next = `${query}&cursor=${first.nextCursor}`;
    const second = await viaBench(`/__bench/unmetered/api/v1/contacts?tenantId=${owner.tenantId}&${next}`);
    expect(second).toEqual(await viaKey(key, `/api/v1/contacts?${next}`));
    expect(second).toEqual({ data: [expect.objectContaining({ id: ada.id })], nextCursor: null });
    const search = await viaBench(`/__bench/unmetered/api/v1/contacts?tenantId=${owner.tenantId}&q=eds bench`);
    expect(search.data.map((c: { id: string }) => c.id)).toEqual([edsger.id]);
    expect(await viaBench(`/__bench/unmetered/api/v1/contacts/${ada.id}?tenantId=${owner.tenantId}`)).toEqual(
      await viaKey(key, `/api/v1/contacts/${ada.id}`),
    );
  });

  it("answer the pipeline board and stats exactly as the API does", async () => {
    const { owner, key, pipelineId } = await crmTenant();
    const board = `pipelines/${pipelineId}/board?perStage=1`;
    const fromBench = await viaBench(`/__bench/unmetered/api/v1/${board}&tenantId=${owner.tenantId}`);
    expect(fromBench).toEqual(await viaKey(key, `/api/v1/${board}`));
    expect(fromBench.stages[0]).toMatchObject({ count: 2, totalValue: 5100, hasMore: true });
    const stats = await viaBench(`/__bench/unmetered/api/v1/stats/pipeline?tenantId=${owner.tenantId}`);
    expect(stats).toEqual(await viaKey(key, "/api/v1/stats/pipeline"));
    expect(stats.open).toEqual({ count: 2, value: 5100 });
  });

  it("see only the named tenant, validate as the API does, and answer nothing but GET", async () => {
    const { owner, contacts, pipelineId } = await crmTenant();
    const other = await signupTenant("Other");
    const list = await viaBench(`/__bench/unmetered/api/v1/contacts?tenantId=${other.tenantId}`);
    expect(list).toEqual({ data: [], nextCursor: null });
    await expectProblem(
      await benchFetch("GET", `/__bench/unmetered/api/v1/contacts/${contacts[0].id}?tenantId=${other.tenantId}`),
      404,
      "NOT_FOUND",
    );
    await expectProblem(
      await benchFetch("GET", `/__bench/unmetered/api/v1/pipelines/${pipelineId}/board?tenantId=${other.tenantId}`),
      404,
      "NOT_FOUND",
    );
    const invalid = await expectProblem(
      await benchFetch("GET", `/__bench/unmetered/api/v1/contacts?tenantId=${owner.tenantId}&limit=500`),
      422,
      "VALIDATION_FAILED",
    );
    expect(invalid.errors.map((e: { path: string }) => e.path)).toEqual(["query.limit"]);
    await expectProblem(await benchFetch("GET", `/__bench/unmetered/api/v1/contacts`), 422, "VALIDATION_FAILED");
    // Routes the benchmark does not measure, writes included, are not reachable.
    await expectProblem(
      await benchFetch("GET", `/__bench/unmetered/api/v1/companies?tenantId=${owner.tenantId}`),
      404,
      "NOT_FOUND",
    );
    await expectProblem(
      await benchFetch("POST", `/__bench/unmetered/api/v1/contacts?tenantId=${owner.tenantId}`),
      405,
      "METHOD_NOT_ALLOWED",
    );
    await expectProblem(
      await benchFetch("DELETE", `/__bench/unmetered/api/v1/contacts/${contacts[0].id}?tenantId=${owner.tenantId}`),
      405,
      "METHOD_NOT_ALLOWED",
    );
  });
});
