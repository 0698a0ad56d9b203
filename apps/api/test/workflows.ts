import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { expect } from "vitest";
import worker from "../src/worker";
import { api, json, type TestTenant } from "./harness";
import { eventually } from "./webhooks";

export const dayMs = 24 * 3600 * 1000;

export async function createWorkflow(owner: { accessToken: string }, body: Record<string, unknown>) {
  const response = await api("POST", "/api/v1/workflows", {
    token: owner.accessToken,
    body: { active: true, ...body },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return json(response);
}

export async function call(owner: { accessToken: string }, method: string, path: string, body?: unknown, status = 200) {
  const response = await api(method, path, { token: owner.accessToken, body });
  expect(response.status, await response.clone().text()).toBe(status);
  return status === 204 ? null : json(response);
}

export async function executionsOf(owner: TestTenant, workflowId: string) {
  return (await call(owner, "GET", `/api/v1/workflows/${workflowId}/executions?limit=200`)).data as {
    id: string;
    status: string;
    error: string | null;
    resumeAt: string | null;
    recordId: string | null;
    version: number;
    cause: { kind: string; eventId: string | null; eventType: string | null };
  }[];
}

export async function executionOf(owner: TestTenant, workflowId: string, executionId: string) {
  return call(owner, "GET", `/api/v1/workflows/${workflowId}/executions/${executionId}`);
}

/** Waits until the workflow's runs satisfy `done` (the real queue consumer runs them). */
export async function waitForExecutions(
  owner: TestTenant,
  workflowId: string,
  done: (runs: Awaited<ReturnType<typeof executionsOf>>) => boolean,
  timeoutMs = 20_000,
) {
  const runs = await eventually(() => executionsOf(owner, workflowId), done, timeoutMs);
  expect(done(runs), JSON.stringify(runs)).toBe(true);
  return runs;
}

/**
 * Waits until the queue has drained for this tenant: every domain event taken by the
 * workflow dispatcher and no run still running, twice in a row a moment apart.
 */
export async function drained(tenantId: string, timeoutMs = 20_000) {
  const busy = async () => {
    const row = await env.DB.prepare(
      `select (select count(*) from domain_events where tenant_id = ?1 and workflows_at is null)
            + (select count(*) from workflow_executions where tenant_id = ?1 and status = 'running') as n`,
    )
      .bind(tenantId)
      .first<{ n: number }>();
    return row?.n ?? 0;
  };
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 3) {
    if (Date.now() > deadline) throw new Error("The queue did not drain in time");
    quiet = (await busy()) === 0 ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** The five-minute Cron tick at `scheduledTime`, as the runtime would fire it. */
export async function cronTick(scheduledTime: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: "*/5 * * * *", scheduledTime }), env, ctx);
  await waitOnExecutionContext(ctx);
}
