import { expect } from "vitest";
import { api, json } from "../../../test/harness";

export async function post(token: string, path: string, body: unknown, status = 201) {
  const response = await api("POST", path, { token, body });
  expect(response.status, await response.clone().text()).toBe(status);
  return json(response);
}

export async function patch(token: string, path: string, body: unknown) {
  const response = await api("PATCH", path, { token, body });
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response);
}

export async function get(token: string, path: string) {
  const response = await api("GET", path, { token });
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response);
}

export interface Stage {
  id: string;
  name: string;
  position: number;
  probability: number;
  isWon: boolean;
  isLost: boolean;
}
export interface Pipeline {
  id: string;
  name: string;
  stages: Stage[];
}

/** One of the tenant's pipelines by name (the seeded ones: Sales, Backlink outreach, Partnership). */
export async function pipelineNamed(token: string, name: string): Promise<Pipeline> {
  const page = await get(token, "/api/v1/pipelines");
  const pipeline = page.data.find((p: Pipeline) => p.name === name);
  expect(pipeline, `pipeline ${name}`).toBeDefined();
  return pipeline;
}

export function stageNamed(pipeline: Pipeline, name: string): Stage {
  const stage = pipeline.stages.find((s) => s.name === name);
  if (!stage) throw new Error(`No stage ${name} in ${pipeline.name}`);
  return stage;
}

export const createDeal = (token: string, body: Record<string, unknown>) => post(token, "/api/v1/deals", body);

export const moveDeal = (token: string, dealId: string, body: Record<string, unknown>) =>
  post(token, `/api/v1/deals/${dealId}/move-stage`, body, 200);

/** Rows in the tenant's own tables, counted through the API (so only what a client sees). */
export async function countAll(token: string, path: string): Promise<number> {
  let total = 0;
  let cursor: string | null = null;
  do {
    const page: { data: unknown[]; nextCursor: string | null } = await get(
      token,
      `${path}${path.includes("?") ? "&" : "?"}limit=200${cursor ? `&cursor=${cursor}` : ""}`,
    );
    total += page.data.length;
    cursor = page.nextCursor;
  } while (cursor);
  return total;
}
