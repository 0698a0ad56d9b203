import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant } from "../../../test/harness";
import { addMember, userIdOf } from "../../../test/people";

interface Member {
  id: string;
  name: string;
  email: string;
  role: string;
  joinedAt: string;
}

const members = async (token: string): Promise<Member[]> => {
  const response = await api("GET", "/api/v1/members?limit=200", { token });
  expect(response.status).toBe(200);
  return (await json(response)).data;
};
const setRole = (token: string, id: string, role: string) =>
  api("PATCH", `/api/v1/members/${id}`, { token, body: { role } });
const remove = (token: string, id: string) => api("DELETE", `/api/v1/members/${id}`, { token });

async function auditOf(tenantId: string, userId: string) {
  const rows = await env.DB.prepare(
    "select action, before, after from audit_log where tenant_id = ? and entity = 'membership' and entity_id = ? order by created_at, id",
  )
    .bind(tenantId, userId)
    .all<{ action: string; before: string | null; after: string | null }>();
  return rows.results.map((r) => ({
    action: r.action,
    before: JSON.parse(r.before ?? "null"),
    after: JSON.parse(r.after ?? "null"),
  }));
}

describe("members", () => {
  it("lists people with name, email, role and joinedAt in the order they joined, with a cursor", async () => {
    const owner = await signupTenant("Listing");
    const admin = await addMember(owner, "admin");
    const viewer = await addMember(owner, "viewer");
    const ownerId = await userIdOf(owner);

    const all = await members(viewer.accessToken);
    expect(all.map((m) => [m.id, m.email, m.role])).toEqual([
      [ownerId, owner.email, "owner"],
      [admin.userId, admin.email, "admin"],
      [viewer.userId, viewer.email, "viewer"],
    ]);
    expect(all[1]!.name).toBe("admin person");
    expect(Date.parse(all[0]!.joinedAt)).toBeLessThanOrEqual(Date.parse(all[1]!.joinedAt));

    const first = await json(await api("GET", "/api/v1/members?limit=2", { token: owner.accessToken }));
    expect(first.data.map((m: Member) => m.id)).toEqual([ownerId, admin.userId]);
    const second = await json(
      await api("GET", `/api/v1/members?limit=2&cursor=${first.nextCursor}`, { token: owner.accessToken }),
    );
    expect(second.data.map((m: Member) => m.id)).toEqual([viewer.userId]);
    expect(second.nextCursor).toBeNull();
    await expectProblem(
      await api("GET", "/api/v1/members?cursor=garbage", { token: owner.accessToken }),
      422,
      "VALIDATION_FAILED",
    );

    const one = await api("GET", `/api/v1/members/${admin.userId}`, { token: viewer.accessToken });
    expect(await json(one)).toEqual(all[1]);
    await expectProblem(
      await api("GET", "/api/v1/members/us_01jzzzzzzzzzzzzzzzzzzzzzzz", { token: owner.accessToken }),
      404,
      "NOT_FOUND",
    );
    await expectProblem(await api("GET", "/api/v1/members/not-an-id!", { token: owner.accessToken }), 404, "NOT_FOUND");
  });

  it("owners and admins change roles; only an owner grants or takes the owner role; every change is audited", async () => {
    const owner = await signupTenant("Roles");
    const admin = await addMember(owner, "admin");
    const viewer = await addMember(owner, "viewer");
    const ownerId = await userIdOf(owner);

    const promoted = await setRole(admin.accessToken, viewer.userId, "member");
    expect(promoted.status).toBe(200);
    expect(await json(promoted)).toMatchObject({ id: viewer.userId, role: "member" });
    // The role applies at once, to tokens already issued.
    expect((await api("GET", "/api/v1/me", { token: viewer.accessToken }).then(json)).role).toBe("member");

    await expectProblem(await setRole(admin.accessToken, viewer.userId, "owner"), 403, "FORBIDDEN");
    await expectProblem(await setRole(admin.accessToken, ownerId, "admin"), 403, "FORBIDDEN");
    await expectProblem(await setRole(viewer.accessToken, admin.userId, "viewer"), 403, "FORBIDDEN");
    expect((await setRole(owner.accessToken, admin.userId, "owner")).status).toBe(200);

    const invalid = await expectProblem(
      await setRole(owner.accessToken, viewer.userId, "god"),
      422,
      "VALIDATION_FAILED",
    );
    expect(invalid.errors.map((e: { path: string }) => e.path)).toEqual(["body.role"]);

    expect(await auditOf(owner.tenantId, viewer.userId)).toEqual([
      { action: "create", before: null, after: expect.objectContaining({ role: "viewer" }) },
      { action: "update", before: { role: "viewer" }, after: { role: "member" } },
    ]);
    expect(await auditOf(owner.tenantId, admin.userId)).toEqual([
      { action: "create", before: null, after: expect.objectContaining({ role: "admin" }) },
      { action: "update", before: { role: "admin" }, after: { role: "owner" } },
    ]);
  });

  it("the last owner can be neither demoted nor removed (409); with a second owner both work", async () => {
    const owner = await signupTenant("LastOwner");
    const ownerId = await userIdOf(owner);
    await expectProblem(await setRole(owner.accessToken, ownerId, "admin"), 409, "CONFLICT");
    await expectProblem(await remove(owner.accessToken, ownerId), 409, "CONFLICT");
    expect((await members(owner.accessToken)).map((m) => m.role)).toEqual(["owner"]);

    const second = await addMember(owner, "admin");
    expect((await setRole(owner.accessToken, second.userId, "owner")).status).toBe(200);
    expect((await setRole(owner.accessToken, ownerId, "admin")).status).toBe(200);
    // Now `second` is the last owner.
    await expectProblem(await setRole(second.accessToken, second.userId, "member"), 409, "CONFLICT");
    await expectProblem(await remove(second.accessToken, second.userId), 409, "CONFLICT");
    expect((await remove(second.accessToken, ownerId)).status).toBe(204);
  });

  it("two owners demoting each other at once never leave the tenant without an owner", async () => {
    const owner = await signupTenant("Standoff");
    const ownerId = await userIdOf(owner);
    const other = await addMember(owner, "admin");
    expect((await setRole(owner.accessToken, other.userId, "owner")).status).toBe(200);

    const results = await Promise.all([
      setRole(owner.accessToken, other.userId, "member"),
      setRole(other.accessToken, ownerId, "member"),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const roles = (await members(owner.accessToken)).map((m) => m.role).sort();
    expect(roles).toEqual(["member", "owner"]);
  });

  it("removing a member ends their sessions in the tenant; anyone may leave; others need admin (owner for owners)", async () => {
    const owner = await signupTenant("Removal");
    const ownerId = await userIdOf(owner);
    const admin = await addMember(owner, "admin");
    const member = await addMember(owner, "member");
    const viewer = await addMember(owner, "viewer");

    await expectProblem(await remove(member.accessToken, viewer.userId), 403, "FORBIDDEN");
    await expectProblem(await remove(admin.accessToken, ownerId), 403, "FORBIDDEN");

    expect((await remove(admin.accessToken, viewer.userId)).status).toBe(204);
    await expectProblem(await api("GET", "/api/v1/me", { token: viewer.accessToken }), 401, "UNAUTHORIZED");
    await expectProblem(
      await api("POST", "/api/v1/auth/refresh", { body: { refreshToken: viewer.refreshToken } }),
      401,
      "UNAUTHORIZED",
    );
    const revoked = await env.DB.prepare(
      "select count(*) as open from refresh_tokens where user_id = ? and revoked_at is null",
    )
      .bind(viewer.userId)
      .first<{ open: number }>();
    expect(revoked!.open).toBe(0);
    await expectProblem(
      await api("GET", `/api/v1/members/${viewer.userId}`, { token: owner.accessToken }),
      404,
      "NOT_FOUND",
    );

    expect((await remove(member.accessToken, member.userId)).status).toBe(204);
    await expectProblem(await api("GET", "/api/v1/members", { token: member.accessToken }), 401, "UNAUTHORIZED");
    expect((await members(owner.accessToken)).map((m) => m.id)).toEqual([ownerId, admin.userId]);

    const audit = await auditOf(owner.tenantId, member.userId);
    expect(audit.at(-1)).toEqual({
      action: "delete",
      before: expect.objectContaining({ id: member.userId, role: "member" }),
      after: null,
    });
  });

  it("API keys need members:write to change anyone, and cannot touch owners", async () => {
    const owner = await signupTenant("KeyMembers");
    const viewer = await addMember(owner, "viewer");
    const ownerId = await userIdOf(owner);
    const reader = await createKey(owner, ["members:read"]);
    const writer = await createKey(owner, ["members:write", "members:read"]);
    expect((await members(reader.key)).length).toBe(2);
    await expectProblem(await setRole(reader.key, viewer.userId, "member"), 403, "INSUFFICIENT_SCOPE");
    expect((await setRole(writer.key, viewer.userId, "member")).status).toBe(200);
    await expectProblem(await setRole(writer.key, ownerId, "admin"), 403, "FORBIDDEN");
    await expectProblem(await remove(writer.key, ownerId), 403, "FORBIDDEN");
    expect((await remove(writer.key, viewer.userId)).status).toBe(204);
  });
});
