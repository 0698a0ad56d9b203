import { expect } from "vitest";
import { api, json } from "../../../test/harness";

export async function createContactVia(token: string, body: Record<string, unknown>) {
  const response = await api("POST", "/api/v1/contacts", { token, body });
  expect(response.status, await response.clone().text()).toBe(201);
  return json(response);
}

export async function createCompanyVia(token: string, body: Record<string, unknown>) {
  const response = await api("POST", "/api/v1/companies", { token, body });
  expect(response.status, await response.clone().text()).toBe(201);
  return json(response);
}

export async function getJson(token: string, path: string) {
  const response = await api("GET", path, { token });
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response);
}

/** The ids a list returns, in order. */
export async function listIds(token: string, path: string): Promise<string[]> {
  return (await getJson(token, path)).data.map((r: { id: string }) => r.id);
}

/** Defines a custom field through the public API (owner/admin). */
export async function defineCustomField(
  owner: { accessToken: string },
  field: { objectType: "contact" | "company"; key: string; type: string; required?: boolean; options?: string[] },
) {
  const response = await api("POST", "/api/v1/custom-fields", {
    token: owner.accessToken,
    body: { label: field.key, ...field },
  });
  expect(response.status, await response.clone().text()).toBe(201);
}

/** Sets what each role sees (owner/admin), through the settings API. */
export async function setRecordVisibility(
  owner: { accessToken: string },
  rules: { member?: "all" | "own"; viewer?: "all" | "own" },
) {
  const response = await api("PATCH", "/api/v1/settings/record-visibility", { token: owner.accessToken, body: rules });
  expect(response.status, await response.clone().text()).toBe(200);
}

/** A deal made through the deals API (in the tenant's default pipeline). */
export async function createDealVia(token: string, body: Record<string, unknown>) {
  const response = await api("POST", "/api/v1/deals", { token, body });
  expect(response.status, await response.clone().text()).toBe(201);
  return json(response);
}
