import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, signupTenant } from "../../../test/harness";
import { addMember, userIdOf } from "../../../test/people";
import { insertContact, listIds, ok } from "../tasks/test-support";

const path = "/api/v1/settings/record-visibility";

describe("record visibility setting", () => {
  it("defaults to all, round-trips a change, and records it in the audit log", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    const ownerId = await userIdOf(owner);
    expect(await ok("GET", path, token)).toEqual({ member: "all", viewer: "all" });
    expect(await ok("PATCH", path, token, { member: "own" })).toEqual({ member: "own", viewer: "all" });
    expect(await ok("PATCH", path, token, { viewer: "own" })).toEqual({ member: "own", viewer: "own" });
    expect(await ok("GET", path, token)).toEqual({ member: "own", viewer: "own" });

    const audit = await ok("GET", "/api/v1/audit-log?entity=tenant_settings", token);
    expect(
      audit.data.map((e: { action: string; entityId: string; before: unknown; after: unknown; actorId: string }) => [
        e.action,
        e.entityId,
        e.before,
        e.after,
        e.actorId,
      ]),
    ).toEqual([
      [
        "update",
        owner.tenantId,
        { recordVisibility: { member: "own", viewer: "all" } },
        { recordVisibility: { member: "own", viewer: "own" } },
        ownerId,
      ],
      [
        "update",
        owner.tenantId,
        { recordVisibility: { member: "all", viewer: "all" } },
        { recordVisibility: { member: "own", viewer: "all" } },
        ownerId,
      ],
    ]);
    // Sending what is already set changes nothing and writes no entry.
    expect(await ok("PATCH", path, token, { member: "own" })).toEqual({ member: "own", viewer: "own" });
    expect((await ok("GET", "/api/v1/audit-log?entity=tenant_settings", token)).data).toHaveLength(2);
  });

  it("admins may change it; members and viewers may read but not change it; API keys get 403", async () => {
    const owner = await signupTenant();
    const admin = await addMember(owner, "admin");
    const member = await addMember(owner, "member");
    const viewer = await addMember(owner, "viewer");
    expect(await ok("PATCH", path, admin.accessToken, { member: "own" })).toEqual({ member: "own", viewer: "all" });
    await expectProblem(
      await api("PATCH", path, { token: viewer.accessToken, body: { viewer: "all", member: "all" } }),
      403,
      "FORBIDDEN",
    );
    await expectProblem(
      await api("PATCH", path, { token: member.accessToken, body: { member: "all" } }),
      403,
      "FORBIDDEN",
    );
    expect(await ok("GET", path, viewer.accessToken)).toEqual({ member: "own", viewer: "all" });
    const key = await createKey(owner, ["contacts:read", "contacts:write"]);
    await expectProblem(await api("GET", path, { token: key.key }), 403, "FORBIDDEN");
    await expectProblem(await api("PATCH", path, { token: key.key, body: { member: "all" } }), 403, "FORBIDDEN");
    expect(await ok("GET", path, owner.accessToken)).toEqual({ member: "own", viewer: "all" });
  });

  it("rejects an empty change, unknown roles and unknown rules with paths", async () => {
    const owner = await signupTenant();
    const token = owner.accessToken;
    let problem = await expectProblem(await api("PATCH", path, { token, body: {} }), 422);
    expect(problem.errors).toEqual([{ path: "body", message: "Give member, viewer or both" }]);
    problem = await expectProblem(await api("PATCH", path, { token, body: { member: "team", admin: "own" } }), 422);
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(["body", "body.member"]);
    expect(await ok("GET", path, token)).toEqual({ member: "all", viewer: "all" });
  });

  it("takes effect at once for timelines and task lists, and is per tenant", async () => {
    const owner = await signupTenant();
    const other = await signupTenant("Other");
    const member = await addMember(owner, "member");
    const ownerId = await userIdOf(owner);
    const ownersContact = await insertContact(owner.tenantId, { ownerId });
    const membersContact = await insertContact(owner.tenantId, { ownerId: member.userId });
    const ownersTask = await ok("POST", "/api/v1/tasks", owner.accessToken, { title: "owner's" });
    await ok("PATCH", path, owner.accessToken, { member: "own" });

    expect(await listIds(member.accessToken, "/api/v1/tasks")).toEqual([]);
    await expectProblem(
      await api("GET", `/api/v1/contacts/${ownersContact.id}/timeline`, { token: member.accessToken }),
      404,
    );
    expect(
      (await api("GET", `/api/v1/contacts/${membersContact.id}/timeline`, { token: member.accessToken })).status,
    ).toBe(200);

    expect(await ok("GET", path, other.accessToken)).toEqual({ member: "all", viewer: "all" });
    await ok("PATCH", path, owner.accessToken, { member: "all" });
    expect(await listIds(member.accessToken, "/api/v1/tasks")).toEqual([ownersTask.id]);
  });
});
