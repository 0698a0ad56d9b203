import { env } from "cloudflare:test";
import {
  companies,
  contacts,
  createDb,
  deals,
  leads,
  newId,
  pipelines,
  pipelineStages,
  type TenantSettings,
  tenantDb,
} from "@crm/db";
import { expect } from "vitest";
import { api, json } from "../../../test/harness";

/** Direct, tenant-scoped access to the test database, for rows another resource's routes would make. */
export function dbOf(tenantId: string) {
  return tenantDb(createDb(env.DB), tenantId);
}

/** A request that must succeed with `status`; returns the parsed body. */
export async function ok(
  method: string,
  path: string,
  token: string,
  body?: unknown,
  status = method === "POST" ? 201 : 200,
) {
  const response = await api(method, path, { token, body });
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return text ? JSON.parse(text) : null;
}

export async function listIds(token: string, path: string): Promise<string[]> {
  return (await ok("GET", path, token)).data.map((r: { id: string }) => r.id);
}

/** Follows nextCursor from the first page to the last and returns every item, in order. */
export async function walk<T = { id: string }>(token: string, path: string, limit: number): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const separator = path.includes("?") ? "&" : "?";
    const page = await ok(
      "GET",
      `${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      token,
    );
    expect(page.data.length).toBeLessThanOrEqual(limit);
    items.push(...page.data);
    cursor = page.nextCursor;
    if (!cursor) return items;
  }
  throw new Error("more than 100 pages");
}

/** A contact row written straight into the tenant (no dependency on the contacts routes). */
export async function insertContact(tenantId: string, values: Partial<typeof contacts.$inferInsert> = {}) {
  return dbOf(tenantId).insert(contacts, {
    id: newId("contact"),
    sortName: "lovelace, ada",
    firstName: "Ada",
    lastName: "Lovelace",
    ...values,
  });
}

export async function insertCompany(tenantId: string, values: Partial<typeof companies.$inferInsert> = {}) {
  return dbOf(tenantId).insert(companies, { id: newId("company"), name: "Acme", ...values });
}

export async function insertLead(tenantId: string, values: Partial<typeof leads.$inferInsert> = {}) {
  return dbOf(tenantId).insert(leads, { id: newId("lead"), firstName: "Grace", stageChangedAt: new Date(), ...values });
}

/** A pipeline with one stage and a deal in it. */
export async function insertDeal(tenantId: string, values: Partial<typeof deals.$inferInsert> = {}) {
  const db = dbOf(tenantId);
  const pipeline = await db.insert(pipelines, {
    id: newId("pipeline"),
    name: `Sales ${crypto.randomUUID()}`,
    position: 0,
  });
  const stage = await db.insert(pipelineStages, {
    id: newId("pipelineStage"),
    pipelineId: pipeline.id,
    name: "Proposal Sent",
    position: 0,
  });
  const deal = await db.insert(deals, {
    id: newId("deal"),
    name: "Big deal",
    pipelineId: pipeline.id,
    stageId: stage.id,
    stageEnteredAt: new Date(),
    ...values,
  });
  return { deal, pipeline, stage };
}

export async function setRecordVisibility(tenantId: string, recordVisibility: TenantSettings["recordVisibility"]) {
  await dbOf(tenantId).batch([dbOf(tenantId).updateTenantSettingsQuery({ recordVisibility })]);
}

export const anyIso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

export { json };
