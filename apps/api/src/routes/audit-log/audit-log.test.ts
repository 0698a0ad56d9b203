import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant, type TestTenant } from "../../../test/harness";

interface Entry {
  id: string;
  actorType: string;
  actorId: string;
  via: string;
  action: string;
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  createdAt: string;
}

async function auditLog(token: string, query = ""): Promise<{ data: Entry[]; nextCursor: string | null }> {
  const response = await api("GET", `/api/v1/audit-log${query}`, { token });
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response);
}

/** Three keys created and the second revoked: four entries besides the sign-up's own. */
async function tenantWithHistory(): Promise<{ owner: TestTenant; userId: string; keyIds: string[] }> {
  const owner = await signupTenant();
  const keyIds: string[] = [];
  for (const name of ["one", "two", "three"]) keyIds.push((await createKey(owner, ["contacts:read"], { name })).id);
  expect((await api("DELETE", `/api/v1/api-keys/${keyIds[1]}`, { token: owner.accessToken })).status).toBe(200);
  const me = await json(await api("GET", "/api/v1/me", { token: owner.accessToken }));
  return { owner, userId: me.user.id, keyIds };
}

describe("GET /api/v1/audit-log", () => {
  it("lists changes newest first with who, how and the before/after diff", async () => {
    const { owner, userId, keyIds } = await tenantWithHistory();
    const { data } = await auditLog(owner.accessToken, "?entity=api_key");
    expect(data.map((e) => [e.action, e.entityId])).toEqual([
      ["update", keyIds[1]],
      ["create", keyIds[2]],
      ["create", keyIds[1]],
      ["create", keyIds[0]],
    ]);
    const revoke = data[0]!;
    expect(revoke).toMatchObject({ actorType: "user", actorId: userId, via: "ui", entity: "api_key" });
    // Only what changed, on both sides; never the key's hash.
    expect(revoke.before).toEqual({ revokedAt: null });
    expect(Object.keys(revoke.after!)).toEqual(["revokedAt"]);
    expect(new Date(revoke.after!.revokedAt as string).toISOString()).toBe(revoke.after!.revokedAt);
    const create = data[3]!;
    expect(create.before).toBeNull();
    expect(create.after).toMatchObject({ id: keyIds[0], name: "one", scopes: ["contacts:read"] });
    expect(JSON.stringify(data)).not.toMatch(/keyHash|crm_[A-Za-z0-9_-]{20,}/);
    const times = data.map((e) => Date.parse(e.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("pages with a keyset cursor: every entry once, in order, then null", async () => {
    const { owner } = await tenantWithHistory();
    const all = (await auditLog(owner.accessToken, "?limit=200")).data;
    expect(all.length).toBeGreaterThanOrEqual(4);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Entry[]; nextCursor: string | null } = await auditLog(
        owner.accessToken,
        `?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));
  });

  it("filters by actor, record, action and time", async () => {
    const { owner, userId, keyIds } = await tenantWithHistory();
    const byRecord = await auditLog(owner.accessToken, `?entityId=${keyIds[1]}`);
    expect(byRecord.data.map((e) => e.action)).toEqual(["update", "create"]);
    const updates = await auditLog(owner.accessToken, "?action=update");
    expect(updates.data.map((e) => e.entityId)).toEqual([keyIds[1]]);
    expect((await auditLog(owner.accessToken, `?actorId=${userId}&entity=api_key`)).data).toHaveLength(4);
    expect((await auditLog(owner.accessToken, "?actorId=us_nobody")).data).toEqual([]);
    const future = new Date(Date.now() + 60_000).toISOString();
    const past = new Date(Date.now() - 3600_000).toISOString();
    expect((await auditLog(owner.accessToken, `?from=${future}`)).data).toEqual([]);
    expect((await auditLog(owner.accessToken, `?to=${encodeURIComponent(past)}`)).data).toEqual([]);
    expect((await auditLog(owner.accessToken, `?from=${past}&to=${future}&entity=api_key`)).data).toHaveLength(4);
  });

  it("rejects bad filters and cursors with the field path", async () => {
    const owner = await signupTenant();
    const badDate = await expectProblem(
      await api("GET", "/api/v1/audit-log?from=yesterday", { token: owner.accessToken }),
      422,
      "VALIDATION_FAILED",
    );
    expect(badDate.errors.map((e: { path: string }) => e.path)).toEqual(["query.from"]);
    const reversed = await api("GET", "/api/v1/audit-log?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", {
      token: owner.accessToken,
    });
    expect((await expectProblem(reversed, 422)).errors[0].path).toBe("query.to");
    const cursor = await expectProblem(
      await api("GET", "/api/v1/audit-log?cursor=not-a-cursor", { token: owner.accessToken }),
      422,
    );
    expect(cursor.errors[0].path).toBe("query.cursor");
    // A well-formed cursor carrying a non-date value must not reach the database as NaN.
    const forged = btoa(JSON.stringify(["createdAt", "soon", "aud_x"])).replace(/=+$/, "");
    const forgedResponse = await api("GET", `/api/v1/audit-log?cursor=${forged}`, { token: owner.accessToken });
    expect(forgedResponse.status).toBeLessThan(500);
    const action = await expectProblem(
      await api("GET", "/api/v1/audit-log?action=drop", { token: owner.accessToken }),
      422,
    );
    expect(action.errors[0].path).toBe("query.action");
  });

  it("GET /{id} returns one entry; another tenant gets 404 and never sees it in its list", async () => {
    const { owner, keyIds } = await tenantWithHistory();
    const other = await signupTenant("Other");
    const entry = (await auditLog(owner.accessToken, `?entityId=${keyIds[0]}`)).data[0]!;
    const one = await api("GET", `/api/v1/audit-log/${entry.id}`, { token: owner.accessToken });
    expect(one.status).toBe(200);
    expect(await json(one)).toEqual(entry);

    await expectProblem(
      await api("GET", `/api/v1/audit-log/${entry.id}`, { token: other.accessToken }),
      404,
      "NOT_FOUND",
    );
    const otherKey = await createKey(other, ["audit_log:read"]);
    await expectProblem(await api("GET", `/api/v1/audit-log/${entry.id}`, { token: otherKey.key }), 404, "NOT_FOUND");
    const otherList = await auditLog(other.accessToken, "?limit=200");
    expect(otherList.data.map((e) => e.id)).not.toContain(entry.id);
    expect(otherList.data.every((e) => !keyIds.includes(e.entityId))).toBe(true);
  });

  it("an API key needs audit_log:read", async () => {
    const { owner } = await tenantWithHistory();
    const reader = await createKey(owner, ["audit_log:read"]);
    expect((await auditLog(reader.key)).data.length).toBeGreaterThanOrEqual(4);
    const other = await createKey(owner, ["contacts:read"]);
    await expectProblem(await api("GET", "/api/v1/audit-log", { token: other.key }), 403, "INSUFFICIENT_SCOPE");
  });
});
