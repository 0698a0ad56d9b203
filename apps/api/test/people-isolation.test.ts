import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, signupTenant, uniqueEmail } from "./harness";
import { addMember } from "./people";

describe("tenant isolation of people, invitations and API keys", () => {
  it("tenant B's owner gets 404 for tenant A's member, invitation and API key ids, and never sees them in lists", async () => {
    const a = await signupTenant("Tenant A");
    const b = await signupTenant("Tenant B");
    const aMember = await addMember(a, "member");
    const aInvitation = await json(
      await api("POST", "/api/v1/invitations", {
        token: a.accessToken,
        body: { email: uniqueEmail("a-invitee"), role: "viewer" },
      }),
    );
    const aKey = await createKey(a, ["members:read"]);
    const bKey = await createKey(b, ["members:read", "members:write", "invitations:read", "invitations:write"]);

    const attempts: [string, string, unknown?][] = [
      ["GET", `/api/v1/members/${aMember.userId}`],
      ["PATCH", `/api/v1/members/${aMember.userId}`, { role: "viewer" }],
      ["DELETE", `/api/v1/members/${aMember.userId}`],
      ["GET", `/api/v1/invitations/${aInvitation.id}`],
      ["DELETE", `/api/v1/invitations/${aInvitation.id}`],
      ["GET", `/api/v1/api-keys/${aKey.id}`],
      ["DELETE", `/api/v1/api-keys/${aKey.id}`],
    ];
    for (const [method, path, body] of attempts) {
      await expectProblem(await api(method, path, { token: b.accessToken, body }), 404, "NOT_FOUND");
      // B's API keys reach the member and invitation routes too; the answer is the same.
      if (!path.includes("api-keys"))
        await expectProblem(await api(method, path, { token: bKey.key, body }), 404, "NOT_FOUND");
    }

    const listed = async (path: string, token: string) =>
      JSON.stringify((await json(await api("GET", `${path}?limit=200`, { token }))).data);
    for (const [path, token] of [
      ["/api/v1/members", b.accessToken],
      ["/api/v1/members", bKey.key],
      ["/api/v1/invitations", b.accessToken],
      ["/api/v1/api-keys", b.accessToken],
    ] as const) {
      const text = await listed(path, token);
      for (const id of [aMember.userId, aMember.email, aInvitation.id, aKey.id]) expect(text).not.toContain(id);
    }

    // Nothing B tried changed anything in A.
    expect(await json(await api("GET", `/api/v1/members/${aMember.userId}`, { token: a.accessToken }))).toMatchObject({
      role: "member",
    });
    expect(
      await json(await api("GET", `/api/v1/invitations/${aInvitation.id}`, { token: a.accessToken })),
    ).toMatchObject({ status: "pending" });
    expect(await json(await api("GET", `/api/v1/api-keys/${aKey.id}`, { token: a.accessToken }))).toMatchObject({
      revokedAt: null,
    });
    expect((await api("GET", "/api/v1/members", { token: aKey.key })).status).toBe(200);
  });
});
